package dev.predictfn.http;

import java.util.Map;

/**
 * Which error body a path speaks, decided in this one place for the handlers that answer outside
 * the protocol adapters (the framework's errors, the Netty-level 413): under {@code /v2} the Open
 * Inference Protocol's {@code {"error"}}, under {@code /bigquery} BigQuery's remote-function {@code
 * {"errorMessage"}}, elsewhere an RFC 9457 problem.
 */
public enum ErrorShape {
  PROBLEM,
  OIP,
  BIGQUERY;

  /** BigQuery shows at most this many characters of an error message ("less than 1KB"). */
  public static final int BIGQUERY_MESSAGE_LIMIT = 1000;

  /** The shape for a request path (without its query). */
  public static ErrorShape of(String path) {
    if (RouteBodyLimit.under(path, "/v2")) {
      return OIP;
    }
    if (RouteBodyLimit.under(path, "/bigquery")) {
      return BIGQUERY;
    }
    return PROBLEM;
  }

  /** The JSON object for {@code detail} in a shape other than {@link #PROBLEM}. */
  public Map<String, String> body(String detail) {
    return switch (this) {
      case OIP -> Map.of("error", detail);
      case BIGQUERY -> Map.of("errorMessage", bigQueryMessage(detail));
      case PROBLEM -> throw new IllegalStateException("a problem has more than a detail");
    };
  }

  /** {@code message} cut to what BigQuery shows, marked when cut. */
  public static String bigQueryMessage(String message) {
    return message.length() <= BIGQUERY_MESSAGE_LIMIT
        ? message
        : message.substring(0, BIGQUERY_MESSAGE_LIMIT - 3) + "...";
  }
}
