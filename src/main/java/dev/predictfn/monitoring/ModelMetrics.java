package dev.predictfn.monitoring;

import dev.predictfn.model.ServingModel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * Gauges about the loaded model: {@code model_load_seconds} (reading and verifying the bundle) and
 * {@code model_ready} (1 while a verified model serves, else 0).
 */
@Singleton
public final class ModelMetrics implements MeterBinder {
  private final ServingModel servingModel;

  public ModelMetrics(ServingModel servingModel) {
    this.servingModel = servingModel;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    TimeGauge.builder(
            "model.load",
            servingModel,
            TimeUnit.NANOSECONDS,
            model -> (double) model.loadTime().toNanos())
        .description("Time taken to read and verify the model bundle at start-up")
        .register(registry);
    Gauge.builder("model.ready", servingModel, model -> model.isReady() ? 1 : 0)
        .description("1 while a verified model is serving, 0 when the bundle was rejected")
        .register(registry);
  }
}
