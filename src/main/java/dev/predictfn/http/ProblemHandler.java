package dev.predictfn.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * The one exception handler of the problem-speaking protocols: {@link ProblemException} becomes its
 * RFC 9457 response. (The framework's own errors go through {@link ProblemErrorResponseProcessor}.)
 */
@Singleton
public final class ProblemHandler
    implements ExceptionHandler<ProblemException, HttpResponse<Problem>> {
  @Override
  public HttpResponse<Problem> handle(HttpRequest request, ProblemException exception) {
    return ProblemResponses.of(
        exception.status(), exception.getMessage(), request, exception.errors());
  }
}
