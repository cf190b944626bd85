package dev.predictfn.api;

import dev.predictfn.model.ModelUnavailableException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Answers 503 while no verified model is loaded. The reason (file paths, digests) goes to the log
 * when the bundle is rejected, not to callers.
 */
@Singleton
public final class ModelUnavailableHandler
    implements ExceptionHandler<ModelUnavailableException, HttpResponse<Problem>> {
  @Override
  public HttpResponse<Problem> handle(HttpRequest request, ModelUnavailableException exception) {
    return ProblemResponses.of(
        HttpStatus.SERVICE_UNAVAILABLE,
        "No verified model is loaded, so this instance cannot predict; the service log and"
            + " /health/readiness say why.",
        request,
        null);
  }
}
