package dev.predictfn.api;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders the framework's own errors (unknown path, wrong method or content type, body too large,
 * unexpected exceptions) as RFC 9457 problems, replacing Micronaut's default JSON error body.
 *
 * <p>A 4xx keeps the framework's message, which names what the caller sent and what is allowed. A
 * 5xx never shows an exception message or class: the cause goes to the log instead.
 */
@Singleton
public final class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorResponseProcessor.class);

  @Override
  public MutableHttpResponse<Problem> processResponse(
      ErrorContext context, MutableHttpResponse<?> response) {
    HttpStatus status = response.status();
    String detail;
    if (status.getCode() >= 500) {
      context
          .getRootCause()
          .ifPresent(
              cause ->
                  LOG.error(
                      "Unhandled error on {} {}", context.getRequest().getMethodName(),
                      context.getRequest().getPath(), cause));
      detail = "The server failed to handle this request; it has been logged.";
    } else if (status == HttpStatus.NOT_FOUND) {
      detail =
          "No endpoint at " + context.getRequest().getPath() + ". This service answers POST"
              + " /predict, GET /model, GET /health, /health/liveness, /health/readiness and GET"
              + " /metrics.";
    } else {
      List<Error> errors = context.getErrors();
      detail = errors.isEmpty() ? status.getReason() : errors.get(0).getMessage();
    }
    return ProblemResponses.of(status, detail, context.getRequest(), null, response);
  }
}
