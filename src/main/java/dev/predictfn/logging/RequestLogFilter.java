package dev.predictfn.logging;

import dev.predictfn.http.Problem;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Writes at most one log line per request, correlated with the request's trace: ERROR for 5xx, INFO
 * for 4xx (with the offending field's JSON Pointer, never its value), DEBUG for the rest.
 *
 * <p>Cloud Run already writes a request log with status and latency for every request, so
 * successful requests stay at DEBUG (enable with {@code LOG_LEVEL_REQUESTS=DEBUG}).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class RequestLogFilter implements Ordered {
  /** The logger requests are written to. */
  public static final String LOGGER = "dev.predictfn.requests";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final String STARTED = RequestLogFilter.class.getName() + ".started";

  @Override
  public int getOrder() {
    return HIGHEST_PRECEDENCE;
  }

  /**
   * Notes when the request started and puts its trace into the context Micronaut propagates to
   * every step of the request ({@link TraceMdc}), so every line it logs carries the trace.
   */
  @RequestFilter
  public void start(HttpRequest<?> request, MutablePropagatedContext context) {
    request.setAttribute(STARTED, System.nanoTime());
    TraceContext.from(request.getHeaders()).ifPresent(trace -> context.add(new TraceMdc(trace)));
  }

  @ResponseFilter
  public void log(HttpRequest<?> request, MutableHttpResponse<?> response) {
    int status = response.code();
    Level level = status >= 500 ? Level.ERROR : status >= 400 ? Level.INFO : Level.DEBUG;
    if (!LOG.isEnabledForLevel(level)) {
      return;
    }
    double millis =
        request
            .getAttribute(STARTED, Long.class)
            .map(start -> (System.nanoTime() - start) / 1e6)
            .orElse(-1.0);
    // The response filter may run outside the request's propagated context: the trace goes into
    // the MDC for this line explicitly.
    TraceMdc.around(request.getHeaders(), () -> logLine(level, request, response, millis));
  }

  private static void logLine(
      Level level, HttpRequest<?> request, MutableHttpResponse<?> response, double millis) {
    int status = response.code();
    LoggingEventBuilder line =
        LOG.atLevel(level)
            .setMessage("{} {} {}")
            .addArgument(request.getMethodName())
            .addArgument(request.getPath())
            .addArgument(status)
            .addKeyValue("method", request.getMethodName())
            .addKeyValue("path", request.getPath())
            .addKeyValue("status", status)
            .addKeyValue("latency_ms", Math.round(millis * 1000) / 1000.0);
    response
        .getBody(Problem.class)
        .filter(problem -> problem.errors() != null && !problem.errors().isEmpty())
        .ifPresent(
            problem -> line.addKeyValue("problem_pointer", problem.errors().get(0).pointer()));
    line.log();
  }
}
