package dev.predictfn.logging;

import dev.predictfn.http.Problem;
import dev.predictfn.http.ProblemResponses;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failure no other handler knows (a bug): logged once, with its stack trace and the request's
 * trace, so Cloud Logging shows it under the request and Cloud Error Reporting groups it; the
 * caller gets a 500 problem that says only that it was logged. Without this handler the framework
 * logs it outside the request's context, without the trace.
 */
@Singleton
public final class UnexpectedErrorHandler
    implements ExceptionHandler<Exception, HttpResponse<Problem>> {
  /** The logger 5xx causes are written to. */
  public static final String LOGGER = "dev.predictfn.errors";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  @Override
  public HttpResponse<Problem> handle(HttpRequest request, Exception exception) {
    Optional<TraceMdc> trace = TraceContext.from(request.getHeaders()).map(TraceMdc::new);
    Map<String, String> previous = trace.map(TraceMdc::updateThreadContext).orElse(null);
    try {
      LOG.error(
          "Unexpected error occurred: {} {}: {}",
          request.getMethodName(),
          request.getPath(),
          exception.getMessage(),
          exception);
    } finally {
      trace.ifPresent(t -> t.restoreThreadContext(previous));
    }
    return ProblemResponses.of(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "The server failed to handle this request; it has been logged.",
        request,
        null);
  }
}
