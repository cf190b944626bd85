package dev.predictfn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.support.Bundles;
import dev.predictfn.support.HttpAnswer;
import dev.predictfn.support.HttpCall;
import dev.predictfn.support.Json;
import dev.predictfn.support.NettyTransport;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service started on a bad bundle (MODEL_PATH pointing at a damaged copy): it stays up,
 * liveness is UP, readiness is DOWN with the reason, and predictions answer 503.
 */
class RejectedBundleServiceTest {
  @TempDir Path dir;

  @Test
  void corruptModelKeepsTheServiceUnready() throws Exception {
    try (EmbeddedServer server = start(Bundles.withCorruptModel(dir), null)) {
      assertUnready(server, "SHA-256 expected");
    }
  }

  @Test
  void mismatchedFeatureListKeepsTheServiceUnready() throws Exception {
    try (EmbeddedServer server =
        start(Bundles.copy(dir), "petal_length,petal_width,sepal_length,sepal_width")) {
      assertUnready(server, "(predict.model.expected-features)");
    }
  }

  @Test
  void cardFromAnotherTribuoKeepsTheServiceUnready() throws Exception {
    Path bundle =
        Bundles.withCard(
            dir,
            card ->
                card.replace("\"tribuo_version\" : \"4.3.2\"", "\"tribuo_version\" : \"5.0.0\""));
    try (EmbeddedServer server = start(bundle, null)) {
      assertUnready(server, "tribuo_version expected 4.3.2");
    }
  }

  @Test
  void intactBundleFromADirectoryServes() throws Exception {
    try (EmbeddedServer server =
        start(Bundles.copy(dir), "sepal_length,sepal_width,petal_length,petal_width")) {
      NettyTransport http = new NettyTransport(URI.create(server.getURL().toString()));

      assertEquals(200, http.send(HttpCall.get("/health/readiness")).status());
      HttpAnswer answer =
          http.send(HttpCall.postJson("/predict", "{\"features\":[5.1,3.5,1.4,0.2]}"));
      assertEquals(200, answer.status(), answer.body());
      JsonNode health = Json.parse(http.send(HttpCall.get("/health/readiness")).body());
      assertEquals(
          dir.toString(),
          health
              .get("details")
              .get("model")
              .get("details")
              .get("source")
              .getStringValue()
              .replaceAll("/$", ""));
    }
  }

  private static EmbeddedServer start(Path bundle, String expectedFeatures) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("micronaut.server.port", -1);
    properties.put("predict.model.path", bundle.toString());
    if (expectedFeatures != null) {
      properties.put("predict.model.expected-features", expectedFeatures);
    }
    return ApplicationContext.run(EmbeddedServer.class, properties);
  }

  private static void assertUnready(EmbeddedServer server, String reason) throws Exception {
    NettyTransport http = new NettyTransport(URI.create(server.getURL().toString()));

    HttpAnswer readiness = http.send(HttpCall.get("/health/readiness"));
    assertEquals(503, readiness.status(), readiness.body());
    JsonNode model = Json.parse(readiness.body()).get("details").get("model");
    assertEquals("DOWN", model.get("status").getStringValue());
    assertTrue(
        model.get("details").get("reason").getStringValue().contains(reason), readiness.body());

    assertEquals(200, http.send(HttpCall.get("/health/liveness")).status());

    HttpAnswer predict =
        http.send(HttpCall.postJson("/predict", "{\"features\":[5.1,3.5,1.4,0.2]}"));
    assertEquals(503, predict.status());
    assertEquals("application/problem+json", predict.mediaType());
    assertEquals("none", predict.header("X-Model-Version").orElse(""));
    assertEquals(503, http.send(HttpCall.get("/model")).status());
    assertTrue(
        http.send(HttpCall.get("/metrics"))
            .body()
            .contains("model_ready{model_version=\"none\"} 0.0"));
  }
}
