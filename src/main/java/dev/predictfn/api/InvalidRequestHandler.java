package dev.predictfn.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Turns {@link InvalidRequestException} into its 4xx problem response. */
@Singleton
public final class InvalidRequestHandler
    implements ExceptionHandler<InvalidRequestException, HttpResponse<Problem>> {
  @Override
  public HttpResponse<Problem> handle(HttpRequest request, InvalidRequestException exception) {
    return ProblemResponses.of(
        exception.status(), exception.getMessage(), request, exception.errors());
  }
}
