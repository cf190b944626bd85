package dev.predictfn.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.support.ApiCases;
import dev.predictfn.support.FunctionTransport;
import dev.predictfn.support.HttpAnswer;
import dev.predictfn.support.HttpCall;
import dev.predictfn.support.Json;
import dev.predictfn.support.NettyTransport;
import io.micronaut.context.ApplicationContext;
import io.micronaut.gcp.function.http.HttpFunction;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Cloud Functions deployment ({@code io.micronaut.gcp.function.http.HttpFunction}, invoked
 * through the Functions Framework interfaces) answers every request exactly as the Netty server
 * does: same status, media type, model version header and body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpFunctionParityTest {
  private EmbeddedServer server;
  private HttpFunction function;
  private NettyTransport netty;
  private FunctionTransport functionTransport;

  @BeforeAll
  void start() {
    server = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1));
    netty = new NettyTransport(URI.create(server.getURL().toString()));
    function = new HttpFunction();
    functionTransport = new FunctionTransport(function);
  }

  @AfterAll
  void stop() {
    function.close();
    server.close();
  }

  Stream<ApiCases.Case> everyCase() {
    List<ApiCases.Case> cases = new ArrayList<>(ApiCases.good());
    cases.addAll(ApiCases.bad());
    cases.addAll(ApiCases.oip());
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyCase")
  void functionAnswersLikeTheServer(ApiCases.Case c) throws Exception {
    HttpAnswer viaServer = netty.send(c.call());
    HttpAnswer viaFunction = functionTransport.send(c.call());

    assertEquals(c.status(), viaServer.status(), viaServer.body());
    assertEquals(viaServer.status(), viaFunction.status(), viaFunction.body());
    assertEquals(viaServer.mediaType(), viaFunction.mediaType());
    assertEquals(viaServer.header("X-Model-Version"), viaFunction.header("X-Model-Version"));
    assertEquals(
        Json.parse(withoutInFlightCount(viaServer.body())),
        Json.parse(withoutInFlightCount(viaFunction.body())),
        "server: " + viaServer.body() + "\nfunction: " + viaFunction.body());
  }

  /**
   * Health details count in-flight requests; under Netty the probe itself is one of them, under the
   * function runtime it is not; every prediction has its own id. Everything else must match.
   */
  private static String withoutInFlightCount(String body) {
    return Json.withoutPredictionIds(body.replaceAll("\"activeTasks\":\\d+", "\"activeTasks\":0"));
  }

  @Test
  void emptyPostBodyIsA400NotA500() throws Exception {
    HttpCall empty = new HttpCall("POST", "/predict", "application/json", null, Map.of());

    HttpAnswer answer = functionTransport.send(empty);

    assertEquals(400, answer.status(), answer.body());
    assertEquals("application/problem+json", answer.mediaType());
    assertTrue(answer.body().contains("request body is empty"), answer.body());
  }

  @Test
  void functionRejectsABodyOverTheLimitItself() throws Exception {
    // The function runtime has no Netty in front of it, so the service's own check answers.
    byte[] body = new byte[1572864 + 1];
    java.util.Arrays.fill(body, (byte) ' ');
    HttpAnswer answer =
        functionTransport.send(
            new HttpCall("POST", "/predict", "application/json", body, Map.of()));

    assertEquals(413, answer.status(), answer.body());
    assertTrue(answer.body().contains("the limit is 1572864 bytes"), answer.body());
  }
}
