package dev.predictfn.http;

import dev.predictfn.rows.FieldError;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Every error answer goes through here: the path's {@link ErrorShape} (declared by its protocol,
 * else a problem) makes the body, so a route answers in one shape whichever layer refused the
 * request.
 */
@Singleton
public final class ErrorShapes {
  private static final ErrorShape PROBLEM = new ProblemShape();

  private final List<ErrorShape> declared;
  private final JsonMapper mapper;

  ErrorShapes(List<ErrorShape> declared, JsonMapper mapper) {
    this.declared = List.copyOf(declared);
    this.mapper = mapper;
  }

  /** The shape of {@code path} (without its query). */
  public ErrorShape forPath(String path) {
    for (ErrorShape shape : declared) {
      if (RouteBodyLimit.under(path, shape.pathPrefix())) {
        return shape;
      }
    }
    return PROBLEM;
  }

  /** An error answer to {@code request}. */
  public MutableHttpResponse<Object> respond(
      HttpRequest<?> request, HttpStatus status, String detail, List<FieldError> errors) {
    return respond(request.getPath(), status, detail, errors, HttpResponse.status(status));
  }

  /**
   * Fills {@code response} (which may already carry headers, e.g. {@code Allow}) with the error.
   */
  public MutableHttpResponse<Object> respond(
      String path,
      HttpStatus status,
      String detail,
      List<FieldError> errors,
      MutableHttpResponse<?> response) {
    ErrorShape shape = forPath(path);
    @SuppressWarnings("unchecked")
    MutableHttpResponse<Object> answer = (MutableHttpResponse<Object>) response;
    return answer
        .status(status)
        .body(shape.body(status, detail, shape.listsFields() ? errors : List.of(), path))
        .contentType(shape.contentType());
  }

  /** The body of an error answer as bytes, for handlers below the framework (Netty's). */
  public byte[] bytes(String path, HttpStatus status, String detail) {
    try {
      return mapper.writeValueAsBytes(forPath(path).body(status, detail, List.of(), path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
