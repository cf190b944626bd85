package dev.predictfn.monitoring;

import dev.predictfn.model.PredictionResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
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
    for (PredictionResult result : results) {
      byLabel.computeIfAbsent(result.label(), this::counter).increment();
    }
  }

  private Counter counter(String label) {
    return Counter.builder("predictions")
        .description("Predictions served, by predicted label")
        .tag("label", label)
        .register(registry);
  }
}
