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
 * Readiness is UP only while a verified model is loaded; otherwise DOWN, with {@code "loading":
 * true} while the bundle is still being read or the reason it was refused, so Cloud Run's startup
 * probe keeps traffic away from an instance that cannot predict yet and from a revision with a bad
 * bundle.
 */
@Singleton
@Readiness
public final class ModelReadinessIndicator implements HealthIndicator {
  private final ServingModel servingModel;
  private volatile HealthResult settled;

  public ModelReadinessIndicator(ServingModel servingModel) {
    this.servingModel = servingModel;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    HealthResult result = settled;
    if (result == null) {
      boolean loading = servingModel.isLoading();
      result = compute(loading);
      if (!loading) {
        // The model never changes once loaded or refused, so from then on the answer is kept.
        settled = result;
      }
    }
    return Publishers.just(result);
  }

  private HealthResult compute(boolean loading) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("source", servingModel.source());
    if (loading) {
      details.put("loading", true);
    }
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
            "model", !loading && servingModel.isReady() ? HealthStatus.UP : HealthStatus.DOWN)
        .details(details)
        .build();
  }
}
