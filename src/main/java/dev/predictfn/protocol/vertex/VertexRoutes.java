package dev.predictfn.protocol.vertex;

import io.micronaut.context.ExecutionHandleLocator;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.web.router.DefaultRouteBuilder;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers Vertex AI's prediction and health routes at the paths Vertex gives at start-up ({@code
 * AIP_PREDICT_ROUTE}, {@code AIP_HEALTH_ROUTE}); they are never hard-coded. Without those variables
 * this builder adds no route.
 */
@Singleton
public final class VertexRoutes extends DefaultRouteBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(VertexRoutes.class);

  public VertexRoutes(
      ExecutionHandleLocator locator,
      UriNamingStrategy naming,
      VertexConfiguration configuration,
      VertexEndpoints endpoints) {
    super(locator, naming);
    if (!configuration.enabled()) {
      return;
    }
    POST(configuration.predictRoute(), endpoints, "predict", HttpRequest.class, byte[].class)
        .consumes(MediaType.APPLICATION_JSON_TYPE)
        .produces(MediaType.APPLICATION_JSON_TYPE);
    GET(configuration.healthRoute(), endpoints, "health").produces(MediaType.APPLICATION_JSON_TYPE);
    LOG.info(
        "Vertex AI routes: POST {} and GET {}",
        configuration.predictRoute(),
        configuration.healthRoute());
  }
}
