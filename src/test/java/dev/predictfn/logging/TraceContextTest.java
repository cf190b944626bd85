package dev.predictfn.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TraceContextTest {
  private static Optional<TraceContext> from(String header, String value) {
    return TraceContext.from(HttpRequest.GET("/").header(header, value).getHeaders());
  }

  @Test
  void readsGooglesHeaderAndConvertsTheDecimalSpanToHex() {
    TraceContext trace =
        from("X-Cloud-Trace-Context", "105445aa7843bc8bf206b12000100000/1;o=1").orElseThrow();

    assertEquals("105445aa7843bc8bf206b12000100000", trace.traceId());
    assertEquals("0000000000000001", trace.spanId());
    assertTrue(trace.sampled());
  }

  @Test
  void readsGooglesHeaderWithoutSpanOrOptions() {
    TraceContext trace =
        from("X-Cloud-Trace-Context", "105445AA7843BC8BF206B12000100000").orElseThrow();

    assertEquals(new TraceContext("105445aa7843bc8bf206b12000100000", null, false), trace);
  }

  @Test
  void fallsBackToW3cTraceparent() {
    TraceContext trace =
        from("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
            .orElseThrow();

    assertEquals(
        new TraceContext("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", true), trace);
  }

  @Test
  void ignoresMalformedHeaders() {
    assertTrue(from("X-Cloud-Trace-Context", "not-a-trace").isEmpty());
    assertTrue(from("traceparent", "00-short-b7ad6b7169203331-01").isEmpty());
    assertTrue(TraceContext.from(HttpRequest.GET("/").getHeaders()).isEmpty());
  }
}
