package dev.predictfn.monitoring;

import dev.predictfn.model.PredictionResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
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

  /** Counts one prediction per result. */
  public void record(List<PredictionResult> results) {
    // Counted here first, then one increment per label rather than per row.
    Map<String, long[]> tally = new HashMap<>(8);
    for (PredictionResult result : results) {
      tally.computeIfAbsent(result.label(), label -> new long[1])[0]++;
    }
    tally.forEach(
        (label, count) -> byLabel.computeIfAbsent(label, this::counter).increment(count[0]));
  }

  private Counter counter(String label) {
    return Counter.builder("predictions")
        .description("Predictions served, by predicted label")
        .tag("label", label)
        .register(registry);
  }
}
