package dev.predictfn.api;

import dev.predictfn.model.ExplanationUnavailableException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Answers an explanation request for a non-linear model with a 400 problem (for /predict and the
 * Vertex route alike) instead of letting it become a 500.
 */
@Singleton
public final class ExplanationUnavailableHandler
    implements ExceptionHandler<ExplanationUnavailableException, HttpResponse<Problem>> {
  @Override
  public HttpResponse<Problem> handle(
      HttpRequest request, ExplanationUnavailableException exception) {
    return ProblemResponses.of(HttpStatus.BAD_REQUEST, exception.getMessage(), request, null);
  }
}
