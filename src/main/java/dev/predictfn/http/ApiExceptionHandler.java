package dev.predictfn.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Answers an {@link ApiException} in the path's {@link ErrorShape}. */
@Singleton
final class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<?>> {
  private final ErrorShapes shapes;

  ApiExceptionHandler(ErrorShapes shapes) {
    this.shapes = shapes;
  }

  @Override
  public HttpResponse<?> handle(HttpRequest request, ApiException exception) {
    return shapes.respond(request, exception.status(), exception.getMessage(), exception.errors());
  }
}
