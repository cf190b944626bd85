package dev.predictfn.protocol.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.support.Bundles;
import dev.predictfn.support.HttpAnswer;
import dev.predictfn.support.HttpCall;
import dev.predictfn.support.Json;
import dev.predictfn.support.NettyTransport;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /predict} and {@code GET /model} over real HTTP against the embedded Netty server.
 */
@MicronautTest
class PredictApiTest {
  private static final List<String> LABELS = List.of("setosa", "versicolor", "virginica");

  @Inject EmbeddedServer server;

  private NettyTransport http;

  @BeforeEach
  void connect() throws Exception {
    http = new NettyTransport(URI.create(server.getURL().toString()));
  }

  @Test
  void predictsOneRowGivenByPosition() throws Exception {
    HttpAnswer answer =
        http.send(HttpCall.postJson("/predict", "{\"features\":[5.1,3.5,1.4,0.2]}"));

    assertEquals(200, answer.status(), answer.body());
    assertEquals("application/json", answer.mediaType());
    JsonNode body = Json.parse(answer.body());
    assertEquals("setosa", body.get("prediction").getStringValue());
    assertEquals("0.1.0", body.get("model_version").getStringValue());
    assertProbabilities(body.get("probabilities"), "setosa");
  }

  @Test
  void predictsOneRowGivenByNameInAnyOrder() throws Exception {
    HttpAnswer byName =
        http.send(
            HttpCall.postJson(
                "/predict",
                "{\"features\":{\"petal_width\":2.5,\"petal_length\":6.0,\"sepal_width\":3.3,\"sepal_length\":6.3}}"));
    HttpAnswer byPosition =
        http.send(HttpCall.postJson("/predict", "{\"features\":[6.3,3.3,6.0,2.5]}"));

    assertEquals(200, byName.status(), byName.body());
    assertEquals(
        Json.withoutPredictionIds(byPosition.body()), Json.withoutPredictionIds(byName.body()));
    assertEquals("virginica", Json.parse(byName.body()).get("prediction").getStringValue());
  }

  @Test
  void answersBatchRowsInRequestOrder() throws Exception {
    HttpAnswer answer =
        http.send(
            HttpCall.postJson(
                "/predict",
                "{\"instances\":[[6.7,3.0,5.2,2.3],{\"sepal_length\":5.0,\"sepal_width\":3.4,"
                    + "\"petal_length\":1.5,\"petal_width\":0.2},[5.9,3.0,4.2,1.5]]}"));

    assertEquals(200, answer.status(), answer.body());
    JsonNode body = Json.parse(answer.body());
    JsonNode predictions = body.get("predictions");
    assertEquals(3, predictions.size());
    List<String> expected = List.of("virginica", "setosa", "versicolor");
    for (int i = 0; i < 3; i++) {
      assertEquals(expected.get(i), predictions.get(i).get("prediction").getStringValue());
      assertProbabilities(predictions.get(i).get("probabilities"), expected.get(i));
    }
    assertEquals("0.1.0", body.get("model_version").getStringValue());
  }

  @Test
  void batchRowEqualsTheSameRowSentAlone() throws Exception {
    JsonNode alone =
        Json.parse(
            http.send(HttpCall.postJson("/predict", "{\"features\":[5.9,3.0,4.2,1.5]}")).body());
    JsonNode inBatch =
        Json.parse(
                http.send(
                        HttpCall.postJson(
                            "/predict", "{\"instances\":[[1,1,1,1],[5.9,3.0,4.2,1.5]]}"))
                    .body())
            .get("predictions")
            .get(1);

    assertEquals(alone.get("prediction"), inBatch.get("prediction"));
    assertEquals(alone.get("probabilities"), inBatch.get("probabilities"));
  }

  @Test
  void explainsThePredictedClassWhenAsked() throws Exception {
    JsonNode body =
        Json.parse(
            http.send(
                    HttpCall.postJson("/predict?explain=true", "{\"features\":[5.9,3.0,4.2,1.5]}"))
                .body());

    JsonNode explanation = body.get("explanation");
    assertEquals(body.get("prediction"), explanation.get("label"));
    double total = explanation.get("bias").getDoubleValue();
    double previous = Double.MAX_VALUE;
    JsonNode contributions = explanation.get("contributions");
    assertEquals(4, contributions.size());
    for (JsonNode c : contributions.values()) {
      double contribution = c.get("contribution").getDoubleValue();
      assertEquals(
          c.get("weight").getDoubleValue() * c.get("value").getDoubleValue(), contribution, 1e-12);
      assertTrue(Math.abs(contribution) <= previous, "sorted by magnitude");
      previous = Math.abs(contribution);
      total += contribution;
    }
    assertEquals(explanation.get("score").getDoubleValue(), total, 1e-9);
  }

  @Test
  void answersWithoutExplanationUnlessAsked() throws Exception {
    for (String path : List.of("/predict", "/predict?explain=false")) {
      JsonNode body =
          Json.parse(http.send(HttpCall.postJson(path, "{\"features\":[5.9,3.0,4.2,1.5]}")).body());
      assertEquals(null, body.get("explanation"), path);
    }
  }

  @Test
  void everyResponseCarriesTheModelVersionHeader() throws Exception {
    for (HttpCall call :
        List.of(
            HttpCall.postJson("/predict", "{\"features\":[5.1,3.5,1.4,0.2]}"),
            HttpCall.postJson("/predict", "{}"),
            HttpCall.get("/model"),
            HttpCall.get("/health/readiness"),
            HttpCall.get("/metrics"),
            HttpCall.get("/no-such-path"))) {
      assertEquals(
          "0.1.0",
          http.send(call).header("X-Model-Version").orElse("missing"),
          call.method() + " " + call.path());
    }
  }

  @Test
  void modelEndpointServesTheCard() throws Exception {
    HttpAnswer answer = http.send(HttpCall.get("/model"));

    assertEquals(200, answer.status());
    JsonNode card = Json.parse(answer.body());
    assertEquals("iris-sgd", card.get("model_name").getStringValue());
    assertEquals("0.1.0", card.get("model_version").getStringValue());
    assertEquals(4, card.get("features").size());
    assertEquals("sepal_length", card.get("features").get(0).getStringValue());
    assertEquals(3, card.get("labels").size());
    assertTrue(card.get("evaluation").get("accuracy").getDoubleValue() >= 0.93);
    assertEquals(64, card.get("model_sha256").getStringValue().length());
    // Serde answers the card; bundle.ModelCardJson wrote the file: the same JSON.
    assertEquals(
        Json.parse(new String(Bundles.builtIn(ModelBundle.CARD_FILE), StandardCharsets.UTF_8)),
        card);
  }

  static void assertProbabilities(JsonNode probabilities, String expectedTop) {
    assertEquals(LABELS.size(), probabilities.size());
    double sum = 0;
    String top = null;
    double best = -1;
    for (Map.Entry<String, JsonNode> entry : probabilities.entries()) {
      assertTrue(LABELS.contains(entry.getKey()), entry.getKey());
      double p = entry.getValue().getDoubleValue();
      assertTrue(p >= 0 && p <= 1, "probability out of [0,1]: " + p);
      sum += p;
      if (p > best) {
        best = p;
        top = entry.getKey();
      }
    }
    assertEquals(1.0, sum, 1e-6);
    assertEquals(expectedTop, top);
  }
}
