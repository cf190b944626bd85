package dev.predictfn.monitoring;

import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.ScoredRows;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts what was predicted: one count per predicted label ({@code predictions_total{label=...}}).
 * Only the scoring seam records here.
 */
@Singleton
public final class PredictionMetrics {
  private final MeterRegistry registry;
  private final Map<String, Counter> byLabel = new ConcurrentHashMap<>();

  public PredictionMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts one prediction per result (the results of one predictor, as the scoring seam has). */
  public void record(List<PredictionResult> results) {
    // Counted here first, then one increment per label rather than per row; by the label's
    // position where the result knows it (PredictionResult.labelIndex), by the label otherwise.
    long[] counts = new long[0];
    String[] labels = new String[0];
    Map<String, long[]> others = null;
    for (PredictionResult result : results) {
      int c = result.labelIndex();
      if (c < 0) {
        if (others == null) {
          others = new HashMap<>(8);
        }
        others.computeIfAbsent(result.label(), label -> new long[1])[0]++;
        continue;
      }
      if (c >= counts.length) {
        counts = Arrays.copyOf(counts, result.probabilities().size());
        labels = Arrays.copyOf(labels, counts.length);
      }
      if (counts[c]++ == 0) {
        labels[c] = result.label();
      }
    }
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] > 0) {
        increment(labels[c], counts[c]);
      }
    }
    if (others != null) {
      others.forEach((label, count) -> increment(label, count[0]));
    }
  }

  /** Counts one prediction per scored row. */
  public void record(ScoredRows scored) {
    long[] counts = new long[scored.labels().size()];
    Map<String, long[]> others = null;
    for (int i = 0; i < scored.size(); i++) {
      int c = scored.labelIndex(i);
      if (c >= 0) {
        counts[c]++;
        continue;
      }
      if (others == null) {
        others = new HashMap<>(8);
      }
      others.computeIfAbsent(scored.label(i), label -> new long[1])[0]++;
    }
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] > 0) {
        increment(scored.labels().get(c), counts[c]);
      }
    }
    if (others != null) {
      others.forEach((label, count) -> increment(label, count[0]));
    }
  }

  private void increment(String label, long count) {
    byLabel.computeIfAbsent(label, this::counter).increment(count);
  }

  private Counter counter(String label) {
    return Counter.builder("predictions")
        .description("Predictions served, by predicted label")
        .tag("label", label)
        .register(registry);
  }
}
