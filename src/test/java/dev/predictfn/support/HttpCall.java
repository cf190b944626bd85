package dev.predictfn.support;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP request as a test sends it.
 *
 * @param method the HTTP method
 * @param path the path, e.g. {@code /predict}
 * @param contentType the Content-Type header, or null for none
 * @param body the request body, or null for none
 * @param headers further request headers
 */
public record HttpCall(
    String method, String path, String contentType, byte[] body, Map<String, String> headers) {

  /** A JSON POST to {@code path}. */
  public static HttpCall postJson(String path, String json) {
    return new HttpCall(
        "POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** A GET of {@code path}. */
  public static HttpCall get(String path) {
    return new HttpCall("GET", path, null, null, Map.of());
  }

  /** The same call with one more header. */
  public HttpCall withHeader(String name, String value) {
    var more = new java.util.LinkedHashMap<>(headers);
    more.put(name, value);
    return new HttpCall(method, path, contentType, body, Map.copyOf(more));
  }
}
