package dev.predictfn.protocol.bigquery;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.Map;

/** Answers {@link RemoteFunctionException} as BigQuery reads it: the status plus errorMessage. */
@Singleton
final class RemoteFunctionExceptionHandler
    implements ExceptionHandler<RemoteFunctionException, HttpResponse<Map<String, String>>> {
  @Override
  public HttpResponse<Map<String, String>> handle(
      HttpRequest request, RemoteFunctionException exception) {
    return HttpResponse.<Map<String, String>>status(exception.status())
        .body(Map.of("errorMessage", exception.getMessage()));
  }
}
