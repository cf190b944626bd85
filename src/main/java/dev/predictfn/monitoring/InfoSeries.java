package dev.predictfn.monitoring;

import dev.predictfn.BuildInfo;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

/**
 * {@code prediction_function_info}: one series, always 1, whose labels say what runs here: the
 * application's version and the Cloud Run service and configuration, plus the common tags every
 * series carries ({@code model_version}, and {@code revision} on Cloud Run). Join on it in PromQL
 * to group any series by them.
 */
@Singleton
public final class InfoSeries implements MeterBinder {
  private final BuildInfo build;
  private final Deployment deployment;

  public InfoSeries(BuildInfo build, Deployment deployment) {
    this.build = build;
    this.deployment = deployment;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("prediction.function.info", () -> 1)
        .description("What runs here: application version and Cloud Run service and revision")
        .tag("version", build.version())
        .tag("service", Deployment.orEmpty(deployment.service()))
        .tag("configuration", Deployment.orEmpty(deployment.configuration()))
        .register(registry);
  }
}
