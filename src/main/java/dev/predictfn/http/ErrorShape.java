package dev.predictfn.http;

import dev.predictfn.rows.FieldError;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import java.util.List;

/**
 * How the routes under one path answer errors. A protocol whose callers read another error body
 * than an RFC 9457 problem (OIP's {@code {"error"}}, BigQuery's {@code {"errorMessage"}}) declares
 * its shape as a bean, as it declares a {@link RouteBodyLimit}; every error answer on those routes
 * then takes it: the adapters' {@link ApiException}s, scoring failures, the framework's own errors,
 * the Netty-level 413 and unexpected 5xx ({@link ErrorShapes}). Elsewhere the answer is a problem
 * ({@link ProblemShape}).
 */
public interface ErrorShape {
  /** The routes it applies to: this path and everything under it. */
  String pathPrefix();

  /**
   * The JSON body of an error answer.
   *
   * @param detail what went wrong and what the caller should change
   * @param errors the offending fields, each with a JSON Pointer (only shapes that {@link
   *     #listsFields()} get any)
   * @param path the request path
   */
  Object body(HttpStatus status, String detail, List<FieldError> errors, String path);

  /** The body's content type. */
  default MediaType contentType() {
    return MediaType.APPLICATION_JSON_TYPE;
  }

  /**
   * Whether the body lists offending fields by JSON Pointer; when it does not, a scoring failure
   * names its row at the start of the detail instead.
   */
  default boolean listsFields() {
    return false;
  }

  /** What a caller whose body is over the limit should do, after the sizes. */
  default String tooLargeAdvice() {
    return "Split the batch into smaller requests.";
  }

  /** What to send instead of an unsupported content type, for the 415. */
  default String acceptedContent() {
    return "send application/json.";
  }

  /** The detail of a 503 while no verified model is loaded. */
  default String modelUnavailable(String detail) {
    return detail;
  }
}
