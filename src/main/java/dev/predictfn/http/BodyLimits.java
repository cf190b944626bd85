package dev.predictfn.http;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Property;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The body size limit of every path: a route's own {@link RouteBodyLimit}, else {@code
 * predict.api.max-body-bytes}. Checked at start-up against the server-wide {@code
 * micronaut.server.max-request-size}, which must admit the largest of them (a smaller one would cut
 * bodies the route accepts with the framework's 413 instead of the route's).
 */
@Context
@Singleton
public final class BodyLimits {
  private final long defaultLimit;
  private final List<RouteBodyLimit> routes;

  BodyLimits(
      ApiConfiguration api,
      List<RouteBodyLimit> routes,
      @Property(name = "micronaut.server.max-request-size") long serverLimit) {
    this.defaultLimit = api.maxBodyBytes();
    this.routes = List.copyOf(routes);
    if (defaultLimit > serverLimit) {
      throw new IllegalStateException(
          "predict.api.max-body-bytes (MAX_BODY_BYTES) is "
              + defaultLimit
              + " bytes, above the server's request limit of "
              + serverLimit
              + " (micronaut.server.max-request-size, which follows"
              + " predict.bigquery.max-body-bytes, BIGQUERY_MAX_BODY_BYTES): raise that one too.");
    }
    for (RouteBodyLimit route : this.routes) {
      if (route.maxBodyBytes() > serverLimit) {
        throw new IllegalStateException(
            "The body limit of "
                + route.pathPrefix()
                + " is "
                + route.maxBodyBytes()
                + " bytes, above the server's request limit of "
                + serverLimit
                + " (micronaut.server.max-request-size).");
      }
    }
  }

  /** The largest body accepted on {@code path} (without its query), in bytes. */
  public long limitFor(String path) {
    for (RouteBodyLimit route : routes) {
      if (route.covers(path)) {
        return route.maxBodyBytes();
      }
    }
    return defaultLimit;
  }
}
