package dev.predictfn.logging;

import dev.predictfn.http.ErrorShapes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failure no other handler knows (a bug): logged once, with its stack trace and the request's
 * trace, so Cloud Logging shows it under the request and Cloud Error Reporting groups it; the
 * caller gets a 500, in the path's error shape, that says only that it was logged. Without this
 * handler the framework logs it outside the request's context, without the trace. An I/O failure
 * while the request was still arriving (the client went away) is no bug: a 400, logged at DEBUG
 * only.
 */
@Singleton
public final class UnexpectedErrorHandler implements ExceptionHandler<Exception, HttpResponse<?>> {
  /** The logger 5xx causes are written to. */
  public static final String LOGGER = "dev.predictfn.errors";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final ErrorShapes shapes;

  UnexpectedErrorHandler(ErrorShapes shapes) {
    this.shapes = shapes;
  }

  @Override
  public HttpResponse<?> handle(HttpRequest request, Exception exception) {
    if (exception instanceof IOException) {
      LOG.debug(
          "{} {}: the request did not arrive whole",
          request.getMethodName(),
          request.getPath(),
          exception);
      return shapes.respond(
          request,
          HttpStatus.BAD_REQUEST,
          "The request did not arrive whole: " + exception.getMessage(),
          List.of());
    }
    TraceMdc.around(
        request.getHeaders(),
        () ->
            LOG.error(
                "Unexpected error occurred: {} {}: {}",
                request.getMethodName(),
                request.getPath(),
                exception.getMessage(),
                exception));
    return shapes.respond(
        request,
        HttpStatus.INTERNAL_SERVER_ERROR,
        "The server failed to handle this request; it has been logged.",
        List.of());
  }
}
