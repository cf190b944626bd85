package dev.predictfn.protocol.vertex;

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

/** Vertex AI's custom-container contract: its routes, its request and response shapes. */
class VertexContractTest {
  private static final String PREDICT = "/v1/endpoints/7214/deployedModels/8841:predict";
  private static final String HEALTH = "/v1/endpoints/7214/deployedModels/8841";

  @TempDir Path dir;

  private static EmbeddedServer start(Map<String, Object> extra) {
    Map<String, Object> properties = new HashMap<>(extra);
    properties.put("micronaut.server.port", -1);
    return ApplicationContext.run(EmbeddedServer.class, properties);
  }

  private static Map<String, Object> vertex() {
    return Map.of("predict.vertex.predict-route", PREDICT, "predict.vertex.health-route", HEALTH);
  }

  private static NettyTransport http(EmbeddedServer server) {
    return new NettyTransport(URI.create(server.getURL().toString()));
  }

  @Test
  void predictsInstancesAtTheConfiguredRoute() throws Exception {
    try (EmbeddedServer server = start(vertex())) {
      HttpAnswer answer =
          http(server)
              .send(
                  HttpCall.postJson(
                      PREDICT,
                      "{\"instances\":[[5.1,3.5,1.4,0.2],{\"sepal_length\":6.7,\"sepal_width\":3.0,"
                          + "\"petal_length\":5.2,\"petal_width\":2.3}],\"parameters\":{}}"));

      assertEquals(200, answer.status(), answer.body());
      JsonNode body = Json.parse(answer.body());
      assertEquals(1, body.size(), "only predictions: " + answer.body());
      assertEquals("setosa", body.get("predictions").get(0).get("prediction").getStringValue());
      assertEquals("virginica", body.get("predictions").get(1).get("prediction").getStringValue());
    }
  }

  @Test
  void explainsWhenTheParameterAsks() throws Exception {
    try (EmbeddedServer server = start(vertex())) {
      JsonNode row =
          Json.parse(
                  http(server)
                      .send(
                          HttpCall.postJson(
                              PREDICT,
                              "{\"instances\":[[5.9,3.0,4.2,1.5]],\"parameters\":{\"explain\":true}}"))
                      .body())
              .get("predictions")
              .get(0);

      assertEquals(row.get("prediction"), row.get("explanation").get("label"));
    }
  }

  @Test
  void healthRouteIsUpWhenReady() throws Exception {
    try (EmbeddedServer server = start(vertex())) {
      HttpAnswer answer = http(server).send(HttpCall.get(HEALTH));

      assertEquals(200, answer.status());
      assertEquals("UP", Json.parse(answer.body()).get("status").getStringValue());
    }
  }

  @Test
  void healthRouteIs503WhileNoModelIsVerified() throws Exception {
    Map<String, Object> properties = new HashMap<>(vertex());
    properties.put("predict.model.path", Bundles.withCorruptModel(dir).toString());
    try (EmbeddedServer server = start(properties)) {
      assertEquals(503, http(server).send(HttpCall.get(HEALTH)).status());
      assertEquals(
          503,
          http(server).send(HttpCall.postJson(PREDICT, "{\"instances\":[[1,2,3,4]]}")).status());
    }
  }

  @Test
  void rejectsWhatVertexWouldNotSendWithAProblem() throws Exception {
    try (EmbeddedServer server = start(vertex())) {
      assertProblem(server, "{\"features\":[1,2,3,4]}", "Unknown field \"features\"");
      assertProblem(server, "{\"parameters\":{}}", "Missing \"instances\"");
      assertProblem(
          server,
          "{\"instances\":[[1,2,3,4]],\"parameters\":{\"top_k\":2}}",
          "Unknown parameter \"top_k\"");
      assertProblem(
          server,
          "{\"instances\":[[1,2,3,4]],\"parameters\":{\"explain\":\"yes\"}}",
          "\"explain\" must be true or false");
      assertProblem(
          server, "{\"instances\":[[1,2,3]]}", "instances[0] has 3 values but the model takes 4");
      assertProblem(
          server,
          "{\"instances\":[[1,2,3,4],[1e308,1e308,1e308,1e308]],\"parameters\":{\"explain\":true}}",
          "The values are too large for the model");
      assertProblem(
          server,
          "{\"instances\":[[1,2,3,4]]} {\"instances\":[[1,2,3,4]]}",
          "more data follows it at byte 26 (line 1, column 27)");
    }
  }

  @Test
  void withoutVertexVariablesThereAreNoVertexRoutes() throws Exception {
    try (EmbeddedServer server = start(Map.of())) {
      assertEquals(404, http(server).send(HttpCall.get(HEALTH)).status());
    }
  }

  private static void assertProblem(EmbeddedServer server, String body, String detail)
      throws Exception {
    HttpAnswer answer = http(server).send(HttpCall.postJson(PREDICT, body));
    assertEquals(400, answer.status(), answer.body());
    assertEquals("application/problem+json", answer.mediaType());
    assertTrue(
        Json.parse(answer.body()).get("detail").getStringValue().contains(detail), answer.body());
  }
}
