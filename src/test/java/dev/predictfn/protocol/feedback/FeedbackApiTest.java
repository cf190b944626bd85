package dev.predictfn.protocol.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.records.CapturedRecords;
import dev.predictfn.support.HttpAnswer;
import dev.predictfn.support.HttpCall;
import dev.predictfn.support.Json;
import dev.predictfn.support.NettyTransport;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /feedback} over real HTTP: what it records, what it refuses and how. */
class FeedbackApiTest {
  private static final String ID = "0193a5f2-8e41-7c3a-9d2e-5b7f0c1a2b3c";

  private static EmbeddedServer server;
  private static NettyTransport http;

  @BeforeAll
  static void start() {
    server =
        ApplicationContext.run(
            EmbeddedServer.class,
            Map.of(
                "micronaut.server.port",
                -1,
                CapturedRecords.PROPERTY,
                "true",
                "predict.api.max-batch-size",
                5,
                "predict.api.max-body-bytes",
                4096));
    http = new NettyTransport(URI.create(server.getURL().toString()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpAnswer post(String body) throws Exception {
    return http.send(HttpCall.postJson("/feedback", body));
  }

  private static List<JsonNode> feedbackRecords(long atLeast) throws Exception {
    return CapturedRecords.await(server.getApplicationContext(), atLeast).stream()
        .filter(r -> r.get("record").getStringValue().equals("feedback"))
        .toList();
  }

  @Test
  void recordsOneLabelAndManyLabelsForAPredictionThisServiceAnswered() throws Exception {
    String id =
        Json.parse(
                http.send(HttpCall.postJson("/predict", "{\"features\":[5.1,3.5,1.4,0.2]}")).body())
            .get("prediction_id")
            .getStringValue();
    long before = feedbackRecords(0).size();

    HttpAnswer one = post("{\"prediction_id\":\"" + id + "\",\"label\":\"versicolor\"}");
    assertEquals(202, one.status(), one.body());
    assertEquals(1, Json.parse(one.body()).get("accepted").getIntValue());

    // An id this service never recorded is accepted: it just joins nothing.
    HttpAnswer many =
        post(
            "{\"feedback\":[{\"prediction_id\":\""
                + ID
                + "\",\"label\":\"setosa\"},{\"label\":\"virginica\",\"prediction_id\":\""
                + id
                + "\"}]}");
    assertEquals(202, many.status(), many.body());
    assertEquals(2, Json.parse(many.body()).get("accepted").getIntValue());

    List<JsonNode> records = feedbackRecords(before + 3);
    List<String> written =
        records.subList(records.size() - 3, records.size()).stream()
            .map(
                r ->
                    r.get("prediction_id").getStringValue() + "=" + r.get("label").getStringValue())
            .toList();
    assertEquals(List.of(id + "=versicolor", ID + "=setosa", id + "=virginica"), written);
    assertTrue(records.get(records.size() - 1).get("time").getStringValue().endsWith("Z"));
  }

  @Test
  void anUnknownLabelIsA400NamingTheModelsLabels() throws Exception {
    HttpAnswer answer = post("{\"prediction_id\":\"" + ID + "\",\"label\":\"rose\"}");

    assertEquals(400, answer.status(), answer.body());
    assertEquals("application/problem+json", answer.mediaType());
    JsonNode problem = Json.parse(answer.body());
    assertEquals(
        "\"label\" must be one of the model's labels [setosa, versicolor, virginica], but it is"
            + " \"rose\".",
        problem.get("detail").getStringValue());
    assertEquals("#/label", problem.get("errors").get(0).get("pointer").getStringValue());
  }

  @Test
  void everyBadItemOfABatchIsListedAndNothingIsRecorded() throws Exception {
    long before = feedbackRecords(0).size();
    HttpAnswer answer =
        post(
            "{\"feedback\":[{\"prediction_id\":\""
                + ID
                + "\",\"label\":\"setosa\"},{\"prediction_id\":\"42\",\"label\":\"setosa\"},"
                + "{\"prediction_id\":\""
                + ID
                + "\",\"label\":7,\"note\":\"x\"},\"setosa\"]}");

    assertEquals(400, answer.status(), answer.body());
    JsonNode errors = Json.parse(answer.body()).get("errors");
    List<String> pointers = new java.util.ArrayList<>();
    for (JsonNode error : errors.values()) {
      pointers.add(error.get("pointer").getStringValue());
    }
    assertEquals(
        List.of(
            "#/feedback/1/prediction_id",
            "#/feedback/2/note",
            "#/feedback/2/label",
            "#/feedback/3"),
        pointers);
    Thread.sleep(100);
    assertEquals(before, feedbackRecords(0).size(), "a refused batch records nothing");
  }

  @Test
  void shapesThatAreNotFeedbackAreRefusedWithWhatToSend() throws Exception {
    assertProblem(post(""), 400, "The request body is empty");
    assertProblem(post("{\"prediction_id\":"), 400, "not valid JSON");
    assertProblem(post("[1]"), 400, "must be a JSON object");
    assertProblem(post("{\"feedback\":[]}"), 400, "must be a non-empty array");
    assertProblem(post("{\"feedback\":{}}"), 400, "must be a non-empty array");
    assertProblem(
        post("{\"feedback\":[{\"prediction_id\":\"" + ID + "\",\"label\":\"setosa\"}],\"x\":1}"),
        400,
        "Unknown field \"x\" beside \"feedback\"");
    assertProblem(post("{\"label\":\"setosa\"}"), 400, "but it is missing");
  }

  @Test
  void limitsAreThoseOfPredict() throws Exception {
    StringJoiner six = new StringJoiner(",", "{\"feedback\":[", "]}");
    for (int i = 0; i < 6; i++) {
      six.add("{\"prediction_id\":\"" + ID + "\",\"label\":\"setosa\"}");
    }
    assertProblem(post(six.toString()), 413, "at most 5 are accepted per request");

    String big = "{\"prediction_id\":\"" + ID + "\",\"label\":\"" + "x".repeat(5000) + "\"}";
    HttpAnswer tooLarge = post(big);
    assertEquals(413, tooLarge.status(), tooLarge.body());
    assertEquals("application/problem+json", tooLarge.mediaType());
  }

  private static void assertProblem(HttpAnswer answer, int status, String detail) {
    assertEquals(status, answer.status(), answer.body());
    assertEquals("application/problem+json", answer.mediaType());
    assertTrue(
        Json.parse(answer.body()).get("detail").getStringValue().contains(detail), answer.body());
  }
}
