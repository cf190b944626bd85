package dev.predictfn.shadow;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Talks to one revision over HTTP: its card and its predictions, with an identity token when it is
 * a private Cloud Run URL. Thread-safe; one per revision.
 */
final class RevisionClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String who;
  private final String base;
  private final String token;
  private final HttpClient http;
  private final JsonMapper json;

  /**
   * @param who "serving" or "candidate", for messages
   * @param base the base URL, e.g. https://v1-2-3---prediction-function-abc.a.run.app
   * @param token an identity token sent as a bearer token, or null
   */
  RevisionClient(String who, String base, String token, HttpClient http, JsonMapper json) {
    this.who = who;
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
    this.http = http;
    this.json = json;
  }

  String who() {
    return who;
  }

  String base() {
    return base;
  }

  /** The revision's card ({@code GET /model}); a failure means no comparison is possible. */
  ServedModel model() {
    HttpResponse<byte[]> response;
    try {
      response =
          http.send(request("/model").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new ComparisonException(who + " " + base + "/model: no answer (" + e + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ComparisonException(who + ": interrupted");
    }
    if (response.statusCode() != 200) {
      throw new ComparisonException(
          who + " " + base + "/model answered " + response.statusCode() + ": " + start(response));
    }
    try {
      return ServedModel.of(who, json.readValue(response.body(), JsonNode.class));
    } catch (IOException e) {
      throw new ComparisonException(who + " " + base + "/model: not JSON (" + e.getMessage() + ")");
    }
  }

  /** Scores one row ({@code POST /predict} with {@code {"features": {...}}}). */
  Answer predict(byte[] body) {
    HttpRequest request =
        request("/predict")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    long start = System.nanoTime();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return new Answer(0, System.nanoTime() - start, null, Map.of(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ComparisonException(who + ": interrupted");
    }
    long nanos = System.nanoTime() - start;
    if (response.statusCode() != 200) {
      return new Answer(response.statusCode(), nanos, null, Map.of(), start(response));
    }
    try {
      JsonNode answer = json.readValue(response.body(), JsonNode.class);
      JsonNode label = answer.get("prediction");
      JsonNode probabilities = answer.get("probabilities");
      if (label == null || !label.isString() || probabilities == null) {
        return new Answer(200, nanos, null, Map.of(), "no prediction in " + start(response));
      }
      Map<String, Double> shares = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> entry : probabilities.entries()) {
        shares.put(entry.getKey(), entry.getValue().getNumberValue().doubleValue());
      }
      return new Answer(200, nanos, label.getStringValue(), shares, null);
    } catch (IOException | RuntimeException e) {
      return new Answer(200, nanos, null, Map.of(), "not JSON: " + start(response));
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(TIMEOUT)
            .header("Accept", "application/json");
    if (token != null && !token.isBlank()) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private static String start(HttpResponse<byte[]> response) {
    String body = new String(response.body(), StandardCharsets.UTF_8).strip();
    return body.length() > 300 ? body.substring(0, 300) + "..." : body;
  }
}
