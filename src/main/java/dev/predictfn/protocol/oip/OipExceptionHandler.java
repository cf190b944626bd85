package dev.predictfn.protocol.oip;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Answers {@link OipException} the way the protocol specifies: status plus {@code {"error"}}. */
@Singleton
public final class OipExceptionHandler
    implements ExceptionHandler<OipException, HttpResponse<OipMessages.Error>> {
  @Override
  public HttpResponse<OipMessages.Error> handle(HttpRequest request, OipException exception) {
    return HttpResponse.<OipMessages.Error>status(exception.status())
        .body(new OipMessages.Error(exception.getMessage()));
  }
}
