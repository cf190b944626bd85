package dev.predictfn.monitoring;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;

/**
 * {@code GET /metrics}: Prometheus text exposition, at the path Prometheus and Cloud Run's managed
 * Prometheus sidecar scrape by default.
 */
@Controller
public final class MetricsController {
  /** Prometheus text format 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  public MetricsController(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Get("/metrics")
  @Produces(CONTENT_TYPE)
  public String scrape() {
    return registry.scrape();
  }
}
