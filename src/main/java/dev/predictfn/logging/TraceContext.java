package dev.predictfn.logging;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The trace a request belongs to, read from Google's {@code X-Cloud-Trace-Context} header or, when
 * absent, from W3C {@code traceparent}.
 *
 * @param traceId 32 lower-case hex digits
 * @param spanId 16 hex digits, or null when the header carries none
 * @param sampled whether the caller sampled the trace
 */
public record TraceContext(String traceId, @Nullable String spanId, boolean sampled) {
  /** Google's header: {@code TRACE_ID/SPAN_ID;o=OPTIONS}, span id in decimal. */
  public static final String CLOUD_HEADER = "X-Cloud-Trace-Context";

  /** W3C trace context header. */
  public static final String W3C_HEADER = "traceparent";

  private static final Pattern CLOUD =
      Pattern.compile("([0-9a-fA-F]{32})(?:/([0-9]{1,20}))?(?:;o=([0-9]+))?");
  private static final Pattern W3C =
      Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

  /** The trace of a request, if its headers carry a well-formed one. */
  public static Optional<TraceContext> from(HttpHeaders headers) {
    String cloud = headers.get(CLOUD_HEADER);
    if (cloud != null) {
      Matcher m = CLOUD.matcher(cloud.trim());
      if (m.matches()) {
        return Optional.of(
            new TraceContext(
                m.group(1).toLowerCase(), decimalSpan(m.group(2)), "1".equals(m.group(3))));
      }
    }
    String w3c = headers.get(W3C_HEADER);
    if (w3c != null) {
      Matcher m = W3C.matcher(w3c.trim());
      if (m.matches()) {
        boolean sampled = (Integer.parseInt(m.group(3), 16) & 1) == 1;
        return Optional.of(new TraceContext(m.group(1), m.group(2), sampled));
      }
    }
    return Optional.empty();
  }

  @Nullable
  private static String decimalSpan(@Nullable String decimal) {
    if (decimal == null) {
      return null;
    }
    try {
      return HexFormat.of().toHexDigits(Long.parseUnsignedLong(decimal));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
