package dev.predictfn.protocol.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.support.Json;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /bigquery} over real HTTP, with requests shaped as BigQuery's remote-function
 * documentation defines them: one reply per call in order, the reply chosen by {@code
 * userDefinedContext}, numbers as {@code TO_JSON_STRING} encodes them, NULL arguments, and errors
 * as {@code {"errorMessage"}} with the status that makes BigQuery fail the query (400, 413) or
 * retry (503).
 */
class RemoteFunctionTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final String SETOSA = "[5.1,3.5,1.4,0.2]";
  private static final String VIRGINICA = "[6.7,3.0,5.2,2.3]";
  private static final String VERSICOLOR = "[5.9,3.0,4.2,1.5]";

  private static EmbeddedServer server;

  @BeforeAll
  static void start() {
    server = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Answer(int status, String contentType, String body) {
    JsonNode json() {
      return Json.parse(body);
    }

    String errorMessage() {
      return json().get("errorMessage").getStringValue();
    }
  }

  static Answer post(EmbeddedServer on, String path, String body) throws Exception {
    HttpResponse<String> response =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(on.getURL() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        response.body());
  }

  /** A request as BigQuery sends it, with the function's context and one array per row. */
  static String request(String context, String... calls) {
    return "{\"requestId\":\"124ab1c\","
        + "\"caller\":\"//bigquery.googleapis.com/projects/p/jobs/p:US.bquxjob_5b4c112c\","
        + "\"sessionUser\":\"analyst@example.com\","
        + (context == null ? "" : "\"userDefinedContext\":" + context + ",")
        + "\"calls\":["
        + String.join(",", calls)
        + "]}";
  }

  private static Answer call(String context, String... calls) throws Exception {
    return post(server, "/bigquery", request(context, calls));
  }

  private static List<String> labels(Answer answer) {
    assertEquals(200, answer.status(), answer.body());
    List<String> labels = new ArrayList<>();
    for (JsonNode reply : answer.json().get("replies").values()) {
      labels.add(reply.isNull() ? null : reply.getStringValue());
    }
    return labels;
  }

  @Test
  void oneLabelPerCallInCallOrderByDefault() throws Exception {
    Answer answer = call(null, SETOSA, VIRGINICA, VERSICOLOR, SETOSA);
    assertEquals("application/json", answer.contentType());
    assertEquals(1, answer.json().size(), "only replies: " + answer.body());
    assertEquals(List.of("setosa", "virginica", "versicolor", "setosa"), labels(answer));
    assertEquals(List.of("setosa"), labels(call("{\"return\":\"label\"}", SETOSA)), "return=label");
    assertEquals(List.of(), labels(call(null)), "an empty batch has no replies");
  }

  @Test
  void numbersArriveAsToJsonStringEncodesThem() throws Exception {
    // INT64 as a number, NUMERIC and large INT64 as decimal strings: the same row as plain numbers.
    Answer answer =
        call(null, "[\"6.7\",3,\"5.2\",\"2.3\"]", "[6.7,3.0,5.2,2.3]", "[\"6.70\",\"3\",5.2,2.3]");
    assertEquals(List.of("virginica", "virginica", "virginica"), labels(answer));
  }

  @Test
  void probabilityAndJsonRepliesMatchPredict() throws Exception {
    JsonNode predicted =
        Json.parse(post(server, "/predict", "{\"features\":" + VIRGINICA + "}").body());
    double virginica = predicted.get("probabilities").get("virginica").getDoubleValue();

    Answer probability =
        call("{\"return\":\"probability\",\"class\":\"virginica\"}", VIRGINICA, SETOSA);
    assertEquals(200, probability.status(), probability.body());
    JsonNode replies = probability.json().get("replies");
    assertEquals(virginica, replies.get(0).getDoubleValue(), 1e-12);
    assertTrue(replies.get(1).getDoubleValue() < 0.05, probability.body());

    Answer json = call("{\"return\":\"json\"}", VIRGINICA);
    assertEquals(200, json.status(), json.body());
    JsonNode reply = json.json().get("replies").get(0);
    assertEquals("virginica", reply.get("label").getStringValue());
    assertEquals(virginica, reply.get("probabilities").get("virginica").getDoubleValue(), 1e-12);
    assertEquals(3, reply.get("probabilities").size());
    assertEquals(
        predicted.get("model_version").getStringValue(),
        reply.get("model_version").getStringValue());
  }

  @Test
  void aNullArgumentFailsTheQueryWithWhereOrAnswersNullWhenTheContextSaysSo() throws Exception {
    Answer refused = call(null, SETOSA, "[6.7,3.0,null,2.3]");
    assertEquals(400, refused.status(), refused.body());
    assertEquals("application/json", refused.contentType());
    assertTrue(
        refused.errorMessage().startsWith("calls[1][2] (petal_length) is NULL"), refused.body());
    assertTrue(refused.errorMessage().contains("on_null"), refused.body());

    Answer nulls = call("{\"on_null\":\"null\"}", SETOSA, "[6.7,3.0,null,2.3]", VIRGINICA);
    assertEquals(Arrays.asList("setosa", null, "virginica"), labels(nulls));
    assertEquals(
        Arrays.asList(null, null),
        labels(call("{\"on_null\":\"null\"}", "[null,null,null,null]", "[1,2,null,4]")));
  }

  @Test
  void aContextThisEndpointCannotHonourFailsTheQueryAtOnce() throws Exception {
    for (String[] c :
        new String[][] {
          {"{\"mode\":\"encryption\"}", "unknown key \"mode\""},
          {"{\"return\":\"score\"}", "return is \"score\""},
          {"{\"return\":\"probability\"}", "needs class"},
          {"{\"return\":\"probability\",\"class\":\"rose\"}", "\"rose\""},
          {"{\"class\":\"setosa\"}", "only read with return=probability"},
          {"{\"on_null\":\"skip\"}", "on_null is \"skip\""},
        }) {
      Answer answer = call(c[0], SETOSA);
      assertEquals(400, answer.status(), c[0] + ": " + answer.body());
      assertTrue(answer.errorMessage().contains(c[1]), c[0] + ": " + answer.body());
    }
  }

  @Test
  void badCallsNameTheCallTheArgumentAndTheFeature() throws Exception {
    String[][] cases = {
      {"[5.1,3.5,1.4]", "calls[1] has 3 arguments but the model takes 4"},
      {"[5.1,3.5,1.4,0.2,9]", "calls[1] has 5 arguments"},
      {"[5.1,true,1.4,0.2]", "calls[1][1] (sepal_width) must be a number"},
      {"[5.1,\"abc\",1.4,0.2]", "calls[1][1] (sepal_width) is \"abc\""},
      {"[\"NaN\",3.5,1.4,0.2]", "calls[1][0] (sepal_length) is \"NaN\""},
      {"[5.1,3.5,1.4,\"-Infinity\"]", "calls[1][3] (petal_width) is \"-Infinity\""},
      {"[1e400,3.5,1.4,0.2]", "calls[1][0] (sepal_length) is not a finite number"},
      {"{\"sepal_length\":5.1}", "calls[1] must be an array"},
    };
    for (String[] c : cases) {
      Answer answer = call(null, SETOSA, c[0]);
      assertEquals(400, answer.status(), c[0] + ": " + answer.body());
      assertTrue(answer.errorMessage().startsWith(c[1]), c[0] + ": " + answer.body());
    }
    String[][] bodies = {
      {"{\"calls\":[" + SETOSA + "]} {\"calls\":[]}", "more data follows it at byte"},
      {"{\"calls\":[" + SETOSA, "not valid JSON"},
      {"{\"requestId\":\"x\"}", "no calls array"},
      {"[" + SETOSA + "]", "must be a JSON object with calls"},
      {"{\"calls\":{}}", "calls must be an array"},
      {"{\"userDefinedContext\":{\"return\":1},\"calls\":[]}", "must be a string"},
      {"", "is empty"},
    };
    for (String[] b : bodies) {
      Answer answer = post(server, "/bigquery", b[0]);
      assertEquals(400, answer.status(), b[0] + ": " + answer.body());
      assertTrue(answer.errorMessage().contains(b[1]), b[0] + ": " + answer.body());
    }
  }

  @Test
  void theSameRequestAgainGetsTheSameReplies() throws Exception {
    String body = request("{\"return\":\"json\"}", SETOSA, VIRGINICA, VERSICOLOR);
    Answer first = post(server, "/bigquery", body);
    Answer again = post(server, "/bigquery", body);
    assertEquals(200, first.status(), first.body());
    assertEquals(first.body(), again.body());
  }

  @Test
  void frameworkErrorsUnderBigquerySpeakErrorMessage() throws Exception {
    HttpResponse<String> text =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(server.getURL() + "/bigquery"))
                .POST(HttpRequest.BodyPublishers.ofString(request(null, SETOSA)))
                .header("Content-Type", "text/plain")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(415, text.statusCode(), text.body());
    assertTrue(Json.parse(text.body()).get("errorMessage").getStringValue().contains("text/plain"));

    HttpResponse<String> get =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(server.getURL() + "/bigquery")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode(), get.body());
    assertTrue(Json.parse(get.body()).get("errorMessage").getStringValue().contains("POST"));
  }

  @Test
  void noVerifiedModelAnswers503SoBigQueryRetries(@TempDir Path empty) throws Exception {
    try (EmbeddedServer unready =
        ApplicationContext.run(
            EmbeddedServer.class,
            Map.of("micronaut.server.port", -1, "predict.model.path", empty.toString()))) {
      Answer answer = post(unready, "/bigquery", request(null, SETOSA));
      assertEquals(503, answer.status(), answer.body());
      assertTrue(answer.errorMessage().contains("No verified model"), answer.body());
    }
  }

  @Test
  void batchesOverTheLimitsFailTheQueryWithWhatToChange() throws Exception {
    try (EmbeddedServer small =
        ApplicationContext.run(
            EmbeddedServer.class,
            Map.of(
                "micronaut.server.port", -1,
                "predict.bigquery.max-calls", 3,
                "predict.bigquery.max-body-bytes", 4096,
                "predict.api.max-body-bytes", 2048))) {
      Answer three = post(small, "/bigquery", request(null, SETOSA, SETOSA, SETOSA));
      assertEquals(200, three.status(), three.body());

      Answer four = post(small, "/bigquery", request(null, SETOSA, SETOSA, SETOSA, SETOSA));
      assertEquals(413, four.status(), four.body());
      assertTrue(four.errorMessage().contains("more than 3 calls"), four.body());
      assertTrue(four.errorMessage().contains("max_batching_rows"), four.body());

      // Over the byte limit: the whole body is sent before the answer is read, as BigQuery does.
      String[] many = new String[300];
      Arrays.fill(many, SETOSA);
      Answer big = post(small, "/bigquery", request(null, many));
      assertEquals(413, big.status(), big.body());
      assertTrue(big.errorMessage().contains("the limit is 4096 bytes"), big.body());
      assertTrue(big.errorMessage().contains("max_batching_rows"), big.body());

      // The other routes keep their own, smaller limit.
      String rows = "{\"instances\":[" + String.join(",", Arrays.copyOf(many, 150)) + "]}";
      Answer predict = post(small, "/predict", rows);
      assertEquals(413, predict.status(), predict.body());
      assertTrue(predict.body().contains("the limit is 2048 bytes"), predict.body());
    }
  }

  @Test
  void anApiLimitAboveTheServersRequestLimitStopsTheStartAndSaysWhatToRaise() {
    Exception refused =
        assertThrows(
            Exception.class,
            () ->
                ApplicationContext.run(
                        EmbeddedServer.class,
                        Map.of(
                            "micronaut.server.port", -1,
                            "predict.bigquery.max-body-bytes", 4096,
                            "predict.api.max-body-bytes", 8192))
                    .close());
    StringBuilder messages = new StringBuilder();
    for (Throwable t = refused; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    assertTrue(messages.toString().contains("BIGQUERY_MAX_BODY_BYTES"), messages.toString());
  }
}
