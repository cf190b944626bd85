package dev.predictfn.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.predictfn.support.HttpAnswer;
import dev.predictfn.support.HttpCall;
import dev.predictfn.support.NettyTransport;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every line logged while a request is handled carries its trace, not only the request-log line:
 * the route's own lines and, for a 5xx, the framework's stack-trace line, which Cloud Error
 * Reporting files under the trace.
 */
class TraceOnEveryLineTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String HEADER = TRACE + "/1234;o=1";

  /** A route that logs a line and fails, only in this test's context. */
  @Requires(property = "test.failing-route", value = "true")
  @Controller("/test")
  static class FailingRoute {
    @Get("/fail")
    String fail() {
      LoggerFactory.getLogger("test.route").info("handling the request");
      throw new IllegalStateException("a bug, for the test");
    }
  }

  /** Keeps each event's MDC as it was on the thread that logged it. */
  private static final class Recorder extends AppenderBase<ILoggingEvent> {
    final List<Map<String, String>> mdc = new CopyOnWriteArrayList<>();
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      lines.add(event.getLoggerName() + ": " + event.getFormattedMessage());
      mdc.add(Map.copyOf(event.getMDCPropertyMap()));
    }
  }

  private final Recorder recorder = new Recorder();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void record() {
    recorder.start();
    root.addAppender(recorder);
  }

  @AfterEach
  void stop() {
    root.detachAppender(recorder);
  }

  @Test
  void theRoutesLinesAndA5xxsStackTraceCarryTheRequestsTrace() throws Exception {
    try (EmbeddedServer server =
        ApplicationContext.run(
            EmbeddedServer.class,
            Map.of("micronaut.server.port", -1, "test.failing-route", "true"))) {
      NettyTransport http = new NettyTransport(URI.create(server.getURL().toString()));
      HttpAnswer answer =
          http.send(HttpCall.get("/test/fail").withHeader(TraceContext.CLOUD_HEADER, HEADER));
      assertEquals(500, answer.status(), answer.body());

      assertTrace("test.route: handling the request");
      assertTrace(UnexpectedErrorHandler.LOGGER + ": Unexpected error occurred: GET /test/fail");
      assertTrace(RequestLogFilter.LOGGER + ": GET /test/fail 500");

      // Nothing is left on the server's threads: the next request, without a trace, logs none.
      for (int i = 0; i < 4; i++) {
        assertEquals(404, http.send(HttpCall.get("/no-such-path")).status());
      }
      for (int i = 0; i < recorder.lines.size(); i++) {
        if (recorder.lines.get(i).contains("GET /no-such-path 404")) {
          assertTrue(
              !recorder.mdc.get(i).containsKey(CloudLoggingLayout.MDC_TRACE),
              recorder.lines.get(i) + " " + recorder.mdc.get(i));
        }
      }
    }
  }

  private void assertTrace(String linePrefix) {
    for (int i = 0; i < recorder.lines.size(); i++) {
      if (recorder.lines.get(i).startsWith(linePrefix)) {
        Map<String, String> mdc = recorder.mdc.get(i);
        assertEquals(TRACE, mdc.get(CloudLoggingLayout.MDC_TRACE), linePrefix + ": " + mdc);
        assertEquals("00000000000004d2", mdc.get(CloudLoggingLayout.MDC_SPAN), linePrefix);
        assertEquals("true", mdc.get(CloudLoggingLayout.MDC_SAMPLED), linePrefix);
        return;
      }
    }
    throw new AssertionError("no line starting '" + linePrefix + "' in " + recorder.lines);
  }
}
