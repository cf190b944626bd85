package dev.predictfn.logging;

import io.micronaut.core.propagation.ThreadPropagatedContextElement;
import java.util.Map;
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
