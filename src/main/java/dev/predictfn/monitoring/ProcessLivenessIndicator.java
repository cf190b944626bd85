package dev.predictfn.monitoring;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * Liveness: UP whenever the server can answer at all. A rejected model is a readiness problem, not
 * a reason to restart the instance (a restart would load the same bundle again).
 *
 * <p>Deliberately constant: the probe must cost nothing (the default deadlocked-threads scan made
 * probes many times slower than predictions).
 */
@Singleton
@Liveness
public final class ProcessLivenessIndicator implements HealthIndicator {
  private static final HealthResult UP = HealthResult.builder("process", HealthStatus.UP).build();

  @Override
  public Publisher<HealthResult> getResult() {
    return Publishers.just(UP);
  }
}
