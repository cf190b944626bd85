package dev.predictfn.http;

import dev.predictfn.rows.FieldError;
import dev.predictfn.rows.JsonInput;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The limits of a request body: its size on every path (a route's own {@link RouteBodyLimit}, else
 * {@code predict.api.max-body-bytes}) and the items one batch may carry ({@code
 * predict.api.max-batch-size}), each refused with a 413 worded here once. The size limits are
 * checked at start-up against the server-wide {@code micronaut.server.max-request-size}, which must
 * admit the largest of them (a smaller one would cut bodies the route accepts with the framework's
 * 413 instead of the route's).
 */
@Context
@Singleton
public final class BodyLimits {
  private final long defaultLimit;
  private final int maxBatch;
  private final List<RouteBodyLimit> routes;
  private final ErrorShapes shapes;

  BodyLimits(
      ApiConfiguration api,
      List<RouteBodyLimit> routes,
      ErrorShapes shapes,
      @Property(name = "micronaut.server.max-request-size") long serverLimit) {
    this.defaultLimit = api.maxBodyBytes();
    this.maxBatch = api.maxBatchSize();
    this.routes = List.copyOf(routes);
    this.shapes = shapes;
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

  /**
   * Refuses a body over the path's limit with a 413, and an empty one with a 400 that shows {@code
   * example}. The body's size is the larger of its Content-Length and the bytes received: the Cloud
   * Functions runtime hands over no body at all past the server's limit, so the declared length is
   * what tells an oversized request from an empty one there.
   *
   * @return the body, neither too large nor blank
   */
  public byte[] require(HttpRequest<?> request, @Nullable byte[] body, String example) {
    String path = request.getPath();
    long length = Math.max(request.getContentLength(), body == null ? 0 : body.length);
    if (length > limitFor(path)) {
      throw new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, tooLarge(path, length));
    }
    if (body == null || JsonInput.isBlank(body)) {
      throw ApiException.badRequest("The request body is empty; send " + example + ".");
    }
    return body;
  }

  /**
   * Refuses a batch of more than {@code predict.api.max-batch-size} items with a 413 that tells the
   * caller to split it.
   *
   * @param what the batch in the protocol's words, such as {@code "instances"} (quoted)
   * @param pointer the JSON Pointer of the batch, for protocols that list fields
   * @param items what the batch holds, plural: {@code rows}, {@code items}
   */
  public void requireBatch(int size, String what, String pointer, String items) {
    if (size > maxBatch) {
      throw new ApiException(
          HttpStatus.REQUEST_ENTITY_TOO_LARGE,
          what
              + " has "
              + size
              + " "
              + items
              + " but at most "
              + maxBatch
              + " are accepted per request; split it.",
          List.of(new FieldError(pointer, "at most " + maxBatch + " " + items)));
    }
  }

  /** The words of a 413 for a body of {@code length} bytes on {@code path}. */
  String tooLarge(String path, long length) {
    return "The request body is "
        + length
        + " bytes; the limit is "
        + limitFor(path)
        + " bytes. "
        + shapes.forPath(path).tooLargeAdvice();
  }
}
