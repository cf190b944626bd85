package dev.predictfn.monitoring;

import dev.predictfn.model.PredictionResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records what was predicted: a count per predicted label ({@code predictions_total{label=...}}),
 * and the rows' features for drift monitoring ({@link DriftMonitor}).
 */
@Singleton
public final class PredictionMetrics {
  private final MeterRegistry registry;
  private final DriftMonitor drift;
  private final Map<String, Counter> byLabel = new ConcurrentHashMap<>();

  public PredictionMetrics(MeterRegistry registry, DriftMonitor drift) {
    this.registry = registry;
    this.drift = drift;
  }

  /** Records the validated rows and one count per result. */
  public void record(List<double[]> rows, List<PredictionResult> results) {
    drift.observe(rows);
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
