package dev.predictfn.protocol.oip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Open Inference Protocol v2 REST API over real HTTP, following the protocol's schema. */
@MicronautTest
class OipApiTest {
  private static final String INFER = "/v2/models/iris-sgd/infer";

  @Inject EmbeddedServer server;

  private NettyTransport http;

  @BeforeEach
  void connect() {
    http = new NettyTransport(URI.create(server.getURL().toString()));
  }

  private JsonNode ok(HttpCall call) throws Exception {
    HttpAnswer answer = http.send(call);
    assertEquals(200, answer.status(), answer.body());
    assertEquals("application/json", answer.mediaType());
    return Json.parse(answer.body());
  }

  static List<ApiCases.Case> oipCases() {
    return ApiCases.oip();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oipCases")
  void answersWithTheProtocolsStatusAndErrorBody(ApiCases.Case c) throws Exception {
    HttpAnswer answer = http.send(c.call());

    assertEquals(c.status(), answer.status(), answer.body());
    if (c.detail() != null) {
      JsonNode error = Json.parse(answer.body());
      assertEquals(1, error.size(), "only an error field: " + answer.body());
      assertTrue(error.get("error").getStringValue().contains(c.detail()), answer.body());
    }
  }

  @Test
  void serverMetadataNamesTheServerVersionAndExtensions() throws Exception {
    JsonNode server = ok(HttpCall.get("/v2"));

    assertEquals("prediction-function", server.get("name").getStringValue());
    assertEquals("0.1.0", server.get("version").getStringValue());
    assertTrue(server.get("extensions").isArray());
  }

  @Test
  void healthAndReadiness() throws Exception {
    assertTrue(ok(HttpCall.get("/v2/health/live")).get("live").getBooleanValue());
    assertTrue(ok(HttpCall.get("/v2/health/ready")).get("ready").getBooleanValue());
    JsonNode model = ok(HttpCall.get("/v2/models/iris-sgd/ready"));
    assertEquals("iris-sgd", model.get("name").getStringValue());
    assertTrue(model.get("ready").getBooleanValue());
  }

  @Test
  void modelMetadataDescribesTensorsWithABatchDimension() throws Exception {
    JsonNode model = ok(HttpCall.get("/v2/models/iris-sgd"));

    assertEquals("iris-sgd", model.get("name").getStringValue());
    assertEquals("0.1.0", model.get("versions").get(0).getStringValue());
    assertEquals("tribuo", model.get("platform").getStringValue());
    JsonNode input = model.get("inputs").get(0);
    assertEquals("FP32", input.get("datatype").getStringValue());
    assertEquals(Json.parse("[-1,4]"), input.get("shape"));
    assertEquals(Json.parse("[-1]"), model.get("outputs").get(0).get("shape"));
    assertEquals(Json.parse("[-1,3]"), model.get("outputs").get(1).get("shape"));
    assertEquals(model, ok(HttpCall.get("/v2/models/iris-sgd/versions/0.1.0")));
  }

  @Test
  void infersFromAFlatMatrixWithNameVersionIdAndBothOutputs() throws Exception {
    JsonNode response =
        ok(
            HttpCall.postJson(
                INFER,
                "{\"id\":\"req-7\",\"inputs\":[{\"name\":\"input\",\"shape\":[2,4],\"datatype\":\"FP32\","
                    + "\"data\":[5.1,3.5,1.4,0.2,6.7,3.0,5.2,2.3]}]}"));

    assertEquals("iris-sgd", response.get("model_name").getStringValue());
    assertEquals("0.1.0", response.get("model_version").getStringValue());
    assertEquals("req-7", response.get("id").getStringValue());
    JsonNode label = response.get("outputs").get(0);
    assertEquals("label", label.get("name").getStringValue());
    assertEquals("BYTES", label.get("datatype").getStringValue());
    assertEquals(Json.parse("[2]"), label.get("shape"));
    assertEquals(Json.parse("[\"setosa\",\"virginica\"]"), label.get("data"));
    JsonNode probabilities = response.get("outputs").get(1);
    assertEquals("FP32", probabilities.get("datatype").getStringValue());
    assertEquals(Json.parse("[2,3]"), probabilities.get("shape"));
    assertEquals(
        "setosa,versicolor,virginica",
        probabilities.get("parameters").get("labels").getStringValue());
    for (int row = 0; row < 2; row++) {
      double sum = 0;
      for (int c = 0; c < 3; c++) {
        sum += probabilities.get("data").get(row * 3 + c).getDoubleValue();
      }
      assertEquals(1.0, sum, 1e-6);
    }
  }

  @Test
  void nestedDataAndPerFeatureInputsGiveTheSameAnswerAsAFlatMatrix() throws Exception {
    JsonNode flat =
        ok(HttpCall.postJson(INFER, ApiCases.tensor("[2,4]", "[5.9,3.0,4.2,1.5,6.3,3.3,6.0,2.5]")))
            .get("outputs");
    JsonNode nested =
        ok(HttpCall.postJson(
                INFER, ApiCases.tensor("[2,4]", "[[5.9,3.0,4.2,1.5],[6.3,3.3,6.0,2.5]]")))
            .get("outputs");
    JsonNode perFeature =
        ok(HttpCall.postJson(
                "/v2/models/iris-sgd/versions/0.1.0/infer",
                "{\"inputs\":["
                    + "{\"name\":\"petal_width\",\"shape\":[2],\"datatype\":\"FP64\",\"data\":[1.5,2.5]},"
                    + "{\"name\":\"sepal_length\",\"shape\":[2,1],\"datatype\":\"FP64\",\"data\":[[5.9],[6.3]]},"
                    + "{\"name\":\"sepal_width\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[3.0,3.3]},"
                    + "{\"name\":\"petal_length\",\"shape\":[2],\"datatype\":\"FP64\",\"data\":[4.2,6.0]}]}"))
            .get("outputs");

    assertEquals(flat, nested);
    assertEquals(flat, perFeature);
  }

  @Test
  void labelsAgreeWithPredict() throws Exception {
    JsonNode oip =
        ok(HttpCall.postJson(INFER, ApiCases.tensor("[1,4]", "[5.9,3.0,4.2,1.5]"))).get("outputs");
    JsonNode predict = ok(HttpCall.postJson("/predict", "{\"features\":[5.9,3.0,4.2,1.5]}"));

    assertEquals(predict.get("prediction"), oip.get(0).get("data").get(0));
    assertEquals(
        (float) predict.get("probabilities").get("versicolor").getDoubleValue(),
        oip.get(1).get("data").get(1).getFloatValue());
  }

  @Test
  void honoursTheRequestedOutputs() throws Exception {
    JsonNode outputs =
        ok(HttpCall.postJson(
                INFER,
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[5.1,3.5,1.4,0.2]}],"
                    + "\"outputs\":[{\"name\":\"probabilities\"}]}"))
            .get("outputs");

    assertEquals(1, outputs.size());
    assertEquals("probabilities", outputs.get(0).get("name").getStringValue());
  }

  @Test
  void rejectsInputsThatDoNotFitTheModel() throws Exception {
    assertError(
        "{\"inputs\":[{\"name\":\"sepal_length\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[5.1]}]}",
        "missing inputs [petal_length, petal_width, sepal_width]");
    assertError(
        "{\"inputs\":[{\"name\":\"colour\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[5.1]}]}",
        "unknown input \"colour\"");
    assertError(
        "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"BOOL\",\"data\":[true,false,true,false]}]}",
        "has datatype BOOL; this model takes numeric features: FP32, FP64, INT8, INT16, INT32,"
            + " INT64, UINT8, UINT16, UINT32, UINT64");
    assertError(
        ApiCases.tensor("[1,4]", "[5.1,\"x\",1.4,0.2]"), "element 1 must be a finite number");
    assertError(ApiCases.tensor("[0,4]", "[]"), "the batch dimension is 0");
    assertError("{\"inputs\":[]}", "\"inputs\" must be a non-empty array");
  }

  private void assertError(String body, String message) throws Exception {
    HttpAnswer answer = http.send(HttpCall.postJson(INFER, body));
    assertEquals(400, answer.status(), answer.body());
    assertTrue(
        Json.parse(answer.body()).get("error").getStringValue().contains(message), answer.body());
  }
}
