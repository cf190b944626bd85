package dev.predictfn.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Renders the framework's own errors (unknown path, wrong method or content type, body too large,
 * unexpected exceptions) in the path's {@link ErrorShape}: RFC 9457 problems, replacing Micronaut's
 * default JSON error body; under {@code /v2} the Open Inference Protocol's {@code {"error": ...}},
 * under {@code /bigquery} BigQuery's {@code {"errorMessage": ...}}.
 *
 * <p>404, 405 and 415 get details written here from the request, so the Netty server and the
 * function runtime word them identically; other 4xx keep the framework's message. A 5xx never shows
 * an exception message or class: the cause is in the log.
 */
@Singleton
public final class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Object> {
  @Override
  public MutableHttpResponse<Object> processResponse(
      ErrorContext context, MutableHttpResponse<?> response) {
    HttpStatus status = response.status();
    String detail;
    if (status.getCode() >= 500) {
      // The cause is logged already, with its stack trace (an unexpected exception by
      // logging.UnexpectedErrorHandler, under the request's trace; "Unexpected
      // error occurred: ..."); logging it again here would file every failure twice in Cloud
      // Error Reporting. The request log adds method, path and status on the same trace.
      detail = "The server failed to handle this request; it has been logged.";
    } else if (status == HttpStatus.NOT_FOUND) {
      detail =
          "No endpoint at "
              + context.getRequest().getPath()
              + ". This service answers POST"
              + " /predict, GET /model, GET /health, /health/liveness, /health/readiness, GET"
              + " /metrics, the Open Inference Protocol under /v2, Vertex AI's routes and POST"
              + " /bigquery.";
    } else if (status == HttpStatus.METHOD_NOT_ALLOWED) {
      detail =
          "Method "
              + context.getRequest().getMethodName()
              + " is not allowed on "
              + context.getRequest().getPath()
              + "; use "
              + response.getHeaders().get(HttpHeaders.ALLOW)
              + ".";
    } else if (status == HttpStatus.UNSUPPORTED_MEDIA_TYPE) {
      detail =
          "Content-Type "
              + context.getRequest().getContentType().map(MediaType::toString).orElse("(none)")
              + " is not accepted on "
              + context.getRequest().getPath()
              + (context.getRequest().getPath().startsWith("/v2/")
                  ? "; send application/json, or application/octet-stream with binary tensors."
                  : "; send application/json.");
    } else {
      List<Error> errors = context.getErrors();
      detail = errors.isEmpty() ? status.getReason() : errors.get(0).getMessage();
    }
    ErrorShape shape = ErrorShape.of(context.getRequest().getPath());
    if (shape != ErrorShape.PROBLEM) {
      return response
          .status(status)
          .body((Object) shape.body(detail))
          .contentType(MediaType.APPLICATION_JSON_TYPE);
    }
    @SuppressWarnings("unchecked")
    MutableHttpResponse<Object> problem =
        (MutableHttpResponse<Object>)
            (MutableHttpResponse<?>)
                ProblemResponses.of(status, detail, context.getRequest(), null, response);
    return problem;
  }
}
