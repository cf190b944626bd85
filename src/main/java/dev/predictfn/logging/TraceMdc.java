package dev.predictfn.logging;

import io.micronaut.core.propagation.ThreadPropagatedContextElement;
import io.micronaut.http.HttpHeaders;
import java.util.Map;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * A request's trace in the logging MDC wherever the request is handled: Micronaut's propagated
 * context puts it on the thread that runs each step of the request (filters, the route, the
 * exception handlers, the framework's own error log) and takes it off afterwards, so every line
 * logged for a request, a 5xx's stack trace included, carries the request's trace.
 *
 * @param trace the request's trace
 */
record TraceMdc(TraceContext trace) implements ThreadPropagatedContextElement<Map<String, String>> {

  /**
   * Runs {@code log} with the trace of {@code headers} (if they carry one) in this thread's MDC:
   * for lines logged where Micronaut's propagated context may not reach.
   */
  static void around(HttpHeaders headers, Runnable log) {
    Optional<TraceMdc> trace = TraceContext.from(headers).map(TraceMdc::new);
    Map<String, String> previous = trace.map(TraceMdc::updateThreadContext).orElse(null);
    try {
      log.run();
    } finally {
      trace.ifPresent(t -> t.restoreThreadContext(previous));
    }
  }

  @Override
  public Map<String, String> updateThreadContext() {
    Map<String, String> previous = MDC.getCopyOfContextMap();
    MDC.put(CloudLoggingLayout.MDC_TRACE, trace.traceId());
    if (trace.spanId() == null) {
      MDC.remove(CloudLoggingLayout.MDC_SPAN);
    } else {
      MDC.put(CloudLoggingLayout.MDC_SPAN, trace.spanId());
    }
    MDC.put(CloudLoggingLayout.MDC_SAMPLED, Boolean.toString(trace.sampled()));
    return previous;
  }

  @Override
  public void restoreThreadContext(Map<String, String> previous) {
    if (previous == null) {
      MDC.clear();
    } else {
      MDC.setContextMap(previous);
    }
  }
}
