package dev.predictfn.monitoring;

import dev.predictfn.model.ServingModel;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * Readiness is UP only while a verified model is loaded; otherwise DOWN with the reason, so Cloud
 * Run's startup probe keeps traffic away from a revision with a bad bundle.
 */
@Singleton
@Readiness
public final class ModelReadinessIndicator implements HealthIndicator {
  private final ServingModel servingModel;
  private final HealthResult result;

  public ModelReadinessIndicator(ServingModel servingModel) {
    this.servingModel = servingModel;
    // The model never changes after start-up, so the answer is computed once.
    this.result = compute();
  }

  @Override
  public Publisher<HealthResult> getResult() {
    return Publishers.just(result);
  }

  private HealthResult compute() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("source", servingModel.source());
    servingModel
        .bundle()
        .ifPresent(
            bundle -> {
              details.put("name", bundle.card().modelName());
              details.put("version", bundle.version());
              details.put("sha256", bundle.card().modelSha256());
            });
    servingModel.failure().ifPresent(reason -> details.put("reason", reason));
    return HealthResult.builder(
            "model", servingModel.isReady() ? HealthStatus.UP : HealthStatus.DOWN)
        .details(details)
        .build();
  }
}
