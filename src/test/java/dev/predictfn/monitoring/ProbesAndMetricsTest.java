package dev.predictfn.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.support.HttpAnswer;
import dev.predictfn.support.HttpCall;
import dev.predictfn.support.Json;
import dev.predictfn.support.NettyTransport;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Health probes from micronaut-management and the Prometheus text exposition at /metrics. */
@MicronautTest
class ProbesAndMetricsTest {
  @Inject EmbeddedServer server;

  private NettyTransport http;

  @BeforeEach
  void connect() {
    http = new NettyTransport(URI.create(server.getURL().toString()));
  }

  @Test
  void healthLivenessAndReadinessAreUpWithTheModelLoaded() throws Exception {
    for (String path : List.of("/health", "/health/liveness", "/health/readiness")) {
      HttpAnswer answer = http.send(HttpCall.get(path));
      assertEquals(200, answer.status(), path + " " + answer.body());
      assertEquals("UP", Json.parse(answer.body()).get("status").getStringValue(), path);
    }
    JsonNode model =
        Json.parse(http.send(HttpCall.get("/health/readiness")).body()).get("details").get("model");
    assertEquals("0.1.0", model.get("details").get("version").getStringValue());
  }

  @Test
  void probesRunNoDeadlockScanOrDiskCheck() throws Exception {
    String health = http.send(HttpCall.get("/health")).body();

    assertFalse(health.contains("deadlockedThreads"), health);
    assertFalse(health.contains("diskSpace"), health);
    assertFalse(health.contains("compositeDiscoveryClient"), health);
  }

  @Test
  void metricsAreInPrometheusTextFormat() throws Exception {
    HttpAnswer answer = http.send(HttpCall.get("/metrics"));

    assertEquals(200, answer.status());
    assertEquals(
        "text/plain; version=0.0.4; charset=utf-8", answer.header("Content-Type").orElse(""));
    assertTrue(answer.body().contains("# TYPE jvm_memory_used_bytes gauge"), answer.body());
  }

  @Test
  void predictionsShowUpPerLabelAndPerEndpoint() throws Exception {
    double before = sample(metrics(), "predictions_total", "label=\"virginica\"");
    before = Double.isNaN(before) ? 0 : before; // the counter appears with its first prediction
    http.send(
        HttpCall.postJson("/predict", "{\"instances\":[[6.7,3.0,5.2,2.3],[6.3,3.3,6.0,2.5]]}"));
    http.send(HttpCall.postJson("/predict", "{\"features\":[1,2]}"));

    String metrics = metrics();

    assertEquals(before + 2, sample(metrics, "predictions_total", "label=\"virginica\""));
    assertTrue(
        sample(metrics, "http_server_requests_seconds_count", "status=\"400\"", "uri=\"/predict\"")
            >= 1,
        metrics);
    assertTrue(
        sample(
                metrics,
                "http_server_requests_seconds_bucket",
                "status=\"200\"",
                "uri=\"/predict\"",
                "le=\"+Inf\"")
            >= 1,
        "a latency histogram bucket for /predict: " + metrics);
    assertTrue(sample(metrics, "model_load_seconds") > 0, metrics);
    assertEquals(1.0, sample(metrics, "model_ready"));
  }

  @Test
  void everySampleNamesTheModelVersion() throws Exception {
    http.send(HttpCall.postJson("/predict", "{\"features\":[5.1,3.5,1.4,0.2]}"));

    for (String line : metrics().split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        assertTrue(line.contains("model_version=\"0.1.0\""), line);
      }
    }
  }

  private String metrics() throws Exception {
    return http.send(HttpCall.get("/metrics")).body();
  }

  /**
   * The value of the first sample of {@code name} whose labels contain all {@code labels}, or NaN
   * when there is none (so a missing series fails every comparison).
   */
  private static double sample(String metrics, String name, String... labels) {
    Pattern line =
        Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(metrics);
    while (m.find()) {
      String found = m.group(1) == null ? "" : m.group(1);
      boolean all = true;
      for (String label : labels) {
        all &= found.contains(label);
      }
      if (all) {
        return Double.parseDouble(m.group(2));
      }
    }
    return Double.NaN;
  }
}
