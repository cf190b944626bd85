package dev.predictfn.http;

import dev.predictfn.rows.FieldError;
import dev.predictfn.scoring.ScoringException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The one place a failure of the scoring seam becomes an answer, in the path's {@link ErrorShape}:
 * 503 while no verified model is loaded (the platform retries elsewhere), else a 400 that names the
 * offending row as its protocol names rows ({@link ScoringException#where()}).
 */
@Singleton
final class ScoringFailureHandler implements ExceptionHandler<ScoringException, HttpResponse<?>> {
  private final ErrorShapes shapes;

  ScoringFailureHandler(ErrorShapes shapes) {
    this.shapes = shapes;
  }

  @Override
  public HttpResponse<?> handle(HttpRequest request, ScoringException failure) {
    ErrorShape shape = shapes.forPath(request.getPath());
    String detail = failure.getMessage();
    return switch (failure.reason()) {
      case MODEL_UNAVAILABLE ->
          shapes.respond(
              request, HttpStatus.SERVICE_UNAVAILABLE, shape.modelUnavailable(detail), List.of());
      case UNSCORABLE_ROW ->
          shape.listsFields()
              ? shapes.respond(
                  request,
                  HttpStatus.BAD_REQUEST,
                  detail,
                  List.of(new FieldError(failure.where(), detail)))
              : shapes.respond(
                  request, HttpStatus.BAD_REQUEST, failure.where() + ": " + detail, List.of());
      case EXPLANATION_UNAVAILABLE ->
          shapes.respond(request, HttpStatus.BAD_REQUEST, detail, List.of());
    };
  }
}
