package dev.predictfn.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.rows.FieldErrors;
import dev.predictfn.support.ApiCases;
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
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad input answers the right 4xx with an RFC 9457 problem that says what to fix. */
@MicronautTest
class ProblemResponsesTest {
  /** Internal names that must never reach a caller. */
  private static final Pattern INTERNALS =
      Pattern.compile(
          "Exception|\\bat [a-z]+\\.|dev\\.predictfn|io\\.micronaut|com\\.fasterxml|java\\.");

  @Inject EmbeddedServer server;

  static List<ApiCases.Case> badRequests() {
    return ApiCases.bad();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void answersProblemDetail(ApiCases.Case c) throws Exception {
    HttpAnswer answer = send(c.call());

    assertEquals(c.status(), answer.status(), answer.body());
    assertEquals("application/problem+json", answer.mediaType());
    JsonNode problem = Json.parse(answer.body());
    assertEquals("about:blank", problem.get("type").getStringValue());
    assertEquals(c.status(), problem.get("status").getIntValue());
    assertFalse(problem.get("title").getStringValue().isBlank());
    assertEquals(c.call().path().split("\\?")[0], problem.get("instance").getStringValue());
    String detail = problem.get("detail").getStringValue();
    assertTrue(detail.contains(c.detail()), "detail '" + detail + "' lacks '" + c.detail() + "'");
    assertFalse(INTERNALS.matcher(answer.body()).find(), "internal name in " + answer.body());
  }

  @Test
  void pointsAtTheBatchRowTheModelCannotScore() throws Exception {
    HttpAnswer answer =
        send(
            HttpCall.postJson(
                "/predict",
                "{\"instances\":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3],[-1e308,1e308,-1e308,1e308]]}"));

    assertEquals(400, answer.status(), answer.body());
    JsonNode errors = Json.parse(answer.body()).get("errors");
    assertEquals(1, errors.size(), answer.body());
    assertEquals("#/instances/2", errors.get(0).get("pointer").getStringValue());
  }

  @Test
  void pointsAtEveryOffendingFieldOfABatch() throws Exception {
    HttpAnswer answer =
        send(
            HttpCall.postJson(
                "/predict",
                "{\"instances\":[[1,2,3,4],[1,\"x\",3,4],[1,2],{\"sepal_length\":1}]}"));

    assertEquals(400, answer.status());
    JsonNode errors = Json.parse(answer.body()).get("errors");
    List<String> pointers =
        List.of(
            "#/instances/1/1",
            "#/instances/2",
            "#/instances/3/sepal_width",
            "#/instances/3/petal_length",
            "#/instances/3/petal_width");
    assertEquals(pointers.size(), errors.size(), answer.body());
    for (int i = 0; i < pointers.size(); i++) {
      assertEquals(pointers.get(i), errors.get(i).get("pointer").getStringValue());
    }
    assertTrue(
        Json.parse(answer.body()).get("detail").getStringValue().startsWith("5 problems"),
        answer.body());
  }

  @Test
  void anUnknownPathIsAnsweredWithWhereTheRoutesAreInThatPathsShape() throws Exception {
    HttpAnswer problem = send(HttpCall.postJson("/predictions", "{}"));
    assertEquals(404, problem.status());
    String detail = Json.parse(problem.body()).get("detail").getStringValue();
    for (String root : List.of("/bigquery", "/feedback", "/health", "/metrics", "/model", "/v2")) {
      assertTrue(detail.contains(root), detail);
    }
    HttpAnswer oip = send(HttpCall.get("/v2/nothing/here"));
    assertEquals(404, oip.status());
    assertTrue(Json.parse(oip.body()).get("error").getStringValue().startsWith("No endpoint at"));
  }

  @Test
  void capsTheListedErrorsButCountsThemAll() throws Exception {
    StringBuilder rows = new StringBuilder("{\"instances\":[");
    for (int i = 0; i < 30; i++) {
      rows.append(i == 0 ? "" : ",").append("[1,2,3]");
    }
    HttpAnswer answer = send(HttpCall.postJson("/predict", rows.append("]}").toString()));

    assertEquals(400, answer.status());
    JsonNode problem = Json.parse(answer.body());
    assertEquals(FieldErrors.MAX_ERRORS, problem.get("errors").size());
    assertTrue(problem.get("detail").getStringValue().startsWith("30 problems"));
  }

  @Test
  void rejectsABodyOverTheSizeLimitWith413() throws Exception {
    byte[] body = new byte[1572864 + 1];
    Arrays.fill(body, (byte) ' ');
    HttpAnswer answer =
        send(new HttpCall("POST", "/predict", "application/json", body, java.util.Map.of()));

    assertEquals(413, answer.status());
    assertEquals("application/problem+json", answer.mediaType());
    assertTrue(
        answer.body().contains("The request body is 1572865 bytes; the limit is 1572864 bytes."),
        answer.body());
  }

  @Test
  void acceptsCharsetParameterAndWhitespace() throws Exception {
    HttpAnswer answer =
        send(
            new HttpCall(
                "POST",
                "/predict",
                "application/json; charset=utf-8",
                "\n  { \"features\" : [ 5.1 , 3.5 , 1.4 , 0.2 ] }\n"
                    .getBytes(StandardCharsets.UTF_8),
                java.util.Map.of()));

    assertEquals(200, answer.status(), answer.body());
  }

  private HttpAnswer send(HttpCall call) throws Exception {
    return new NettyTransport(URI.create(server.getURL().toString())).send(call);
  }

  @Test
  void aBodyThatIsNotUtf8IsA400ThatSaysSo() throws Exception {
    byte[] utf16 = "{\"features\":[5.1,3.5,1.4,0.2]}".getBytes(StandardCharsets.UTF_16LE);
    HttpAnswer answer =
        send(new HttpCall("POST", "/predict", "application/json", utf16, java.util.Map.of()));

    assertEquals(400, answer.status(), answer.body());
    assertTrue(answer.body().contains("it is not UTF-8"), answer.body());
  }
}
