package dev.predictfn.protocol.vertex;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Vertex AI's custom-container contract ({@code predict.vertex.*}, set from {@code
 * AIP_PREDICT_ROUTE} and {@code AIP_HEALTH_ROUTE}): the routes Vertex calls, read at start-up.
 * Vertex sets both; without them no Vertex route exists.
 *
 * @param predictRoute the prediction route, e.g. {@code /v1/endpoints/E/deployedModels/D:predict}
 * @param healthRoute the health route, e.g. {@code /v1/endpoints/E/deployedModels/D}
 */
@ConfigurationProperties("predict.vertex")
public record VertexConfiguration(@Nullable String predictRoute, @Nullable String healthRoute) {

  /** Whether Vertex set both routes. */
  public boolean enabled() {
    return isSet(predictRoute) && isSet(healthRoute);
  }

  private static boolean isSet(@Nullable String route) {
    return route != null && !route.isBlank();
  }
}
