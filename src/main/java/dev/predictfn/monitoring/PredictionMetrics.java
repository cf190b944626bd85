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
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

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
    tally(results.size(), i -> results.get(i).labelIndex(), i -> results.get(i).label());
  }

  /** Counts one prediction per scored row. */
  public void record(ScoredRows scored) {
    tally(scored.size(), scored::labelIndex, scored::label);
  }

  /**
   * Counts the predictions of {@code rows} rows first, then increments each label's counter once
   * rather than once per row: by the label's position where the row knows it ({@code position} not
   * negative: {@link PredictionResult#labelIndex()}, {@link ScoredRows#labelIndex}), by the label
   * otherwise.
   */
  private void tally(int rows, IntUnaryOperator position, IntFunction<String> label) {
    long[] counts = new long[8];
    String[] labels = new String[counts.length];
    Map<String, long[]> others = null;
    for (int i = 0; i < rows; i++) {
      int c = position.applyAsInt(i);
      if (c < 0) {
        if (others == null) {
          others = new HashMap<>(8);
        }
        others.computeIfAbsent(label.apply(i), name -> new long[1])[0]++;
        continue;
      }
      if (c >= counts.length) {
        counts = Arrays.copyOf(counts, Math.max(c + 1, counts.length * 2));
        labels = Arrays.copyOf(labels, counts.length);
      }
      if (counts[c]++ == 0) {
        labels[c] = label.apply(i);
      }
    }
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] > 0) {
        increment(labels[c], counts[c]);
      }
    }
    if (others != null) {
      others.forEach((name, count) -> increment(name, count[0]));
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
