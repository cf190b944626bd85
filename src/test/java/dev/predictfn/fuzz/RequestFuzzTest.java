package dev.predictfn.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.predictfn.support.FunctionTransport;
import dev.predictfn.support.HttpAnswer;
import dev.predictfn.support.HttpCall;
import dev.predictfn.support.Json;
import io.micronaut.gcp.function.http.HttpFunction;
import io.micronaut.json.tree.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * Coverage-guided fuzzing (Jazzer) of every route that decodes a request body, through the whole
 * application (routing, filters, decoding, validation, the model, encoding, error handlers) by way
 * of the Cloud Functions entry point, so no network is involved. Properties: no input is answered
 * with a 5xx, every 200 carries probabilities that sum to 1 with the most probable label first, and
 * the BigQuery route answers one reply per call or an errorMessage BigQuery can show.
 *
 * <p>{@code ./mvnw test} replays the inputs under {@code src/test/resources/dev/predictfn/fuzz/}
 * (seeds and every input that once failed); {@code JAZZER_FUZZ=1} fuzzes one test for its {@code
 * maxDuration} (docs/testing.md, "Robustness: fuzzing").
 */
class RequestFuzzTest {
  private static final String[] PREDICT_PATHS = {
    "/predict", "/predict?explain=true", "/v1/endpoints/1/deployedModels/2:predict"
  };
  private static final String[] CONTENT_TYPES = {
    "application/json", "application/json; charset=utf-8", "text/plain", null
  };

  private static final String VERTEX_PREDICT = "predict.vertex.predict-route";
  private static final String VERTEX_HEALTH = "predict.vertex.health-route";

  private static HttpFunction function;
  private static FunctionTransport transport;

  @BeforeAll
  static void start() {
    // The Vertex AI routes exist only when Vertex names them (AIP_PREDICT_ROUTE and
    // AIP_HEALTH_ROUTE); system properties stand in for those variables here.
    System.setProperty(VERTEX_PREDICT, "/v1/endpoints/1/deployedModels/2:predict");
    System.setProperty(VERTEX_HEALTH, "/v1/endpoints/1/deployedModels/2");
    function = new HttpFunction();
    transport = new FunctionTransport(function);
    // Thousands of 4xx a second would each log a line at INFO; a 5xx still logs at ERROR.
    requestLog().setLevel(Level.WARN);
  }

  @AfterAll
  static void stop() {
    requestLog().setLevel(null);
    function.close();
    System.clearProperty(VERTEX_PREDICT);
    System.clearProperty(VERTEX_HEALTH);
  }

  @FuzzTest(maxDuration = "30s")
  @DictionaryEntries({
    "\"features\"",
    "\"instances\"",
    "\"parameters\"",
    "\"explain\"",
    "\"sepal_length\"",
    "\"sepal_width\"",
    "\"petal_length\"",
    "\"petal_width\"",
    "1e308",
    "-0",
    "NaN",
    "null"
  })
  void predictionRoutesNeverAnswer5xx(FuzzedDataProvider data) throws Exception {
    String path = data.pickValue(PREDICT_PATHS);
    String contentType = data.pickValue(CONTENT_TYPES);
    byte[] body = data.consumeRemainingAsBytes();
    HttpAnswer answer = transport.send(new HttpCall("POST", path, contentType, body, Map.of()));

    assertTrue(answer.status() < 500, answer.status() + " for " + path + ": " + answer.body());
    if (answer.status() == 200) {
      for (JsonNode prediction : predictions(Json.parse(answer.body()))) {
        assertProbabilities(prediction.get("probabilities"), prediction.get("prediction"));
      }
    }
  }

  @FuzzTest(maxDuration = "30s")
  @DictionaryEntries({
    "\"inputs\"",
    "\"outputs\"",
    "\"name\"",
    "\"shape\"",
    "\"datatype\"",
    "\"data\"",
    "\"FP32\"",
    "\"FP64\"",
    "\"BYTES\"",
    "\"input\"",
    "\"label\"",
    "\"probabilities\"",
    "\"id\""
  })
  void inferRouteNeverAnswers5xx(FuzzedDataProvider data) throws Exception {
    byte[] body = data.consumeRemainingAsBytes();
    HttpAnswer answer =
        transport.send(
            new HttpCall("POST", "/v2/models/iris-sgd/infer", "application/json", body, Map.of()));

    assertTrue(answer.status() < 500, answer.status() + ": " + answer.body());
    if (answer.status() == 200) {
      for (JsonNode output : Json.parse(answer.body()).get("outputs").values()) {
        if (output.get("name").getStringValue().equals("probabilities")) {
          assertRowsSumToOne(output);
        }
      }
    }
  }

  @FuzzTest(maxDuration = "30s")
  @DictionaryEntries({
    "\"requestId\"",
    "\"caller\"",
    "\"sessionUser\"",
    "\"userDefinedContext\"",
    "\"calls\"",
    "\"return\"",
    "\"json\"",
    "\"probability\"",
    "\"class\"",
    "\"virginica\"",
    "\"on_null\"",
    "\"NaN\"",
    "\"9007199254740993\"",
    "null"
  })
  void bigQueryRouteNeverAnswers5xxAndRepliesOncePerCall(FuzzedDataProvider data) throws Exception {
    byte[] body = data.consumeRemainingAsBytes();
    HttpAnswer answer =
        transport.send(new HttpCall("POST", "/bigquery", "application/json", body, Map.of()));

    assertTrue(answer.status() < 500, answer.status() + ": " + answer.body());
    JsonNode reply = Json.parse(answer.body());
    if (answer.status() == 200) {
      JsonNode calls = Json.parse(new String(body, StandardCharsets.UTF_8)).get("calls");
      assertEquals(calls.size(), reply.get("replies").size(), answer.body());
    } else {
      String message = reply.get("errorMessage").getStringValue();
      assertTrue(message.length() < 1024, "BigQuery shows under 1 KB: " + message);
    }
  }

  private static Logger requestLog() {
    return (Logger) LoggerFactory.getLogger("dev.predictfn.requests");
  }

  /** The predictions of a /predict or Vertex answer: one, or a batch's list. */
  private static List<JsonNode> predictions(JsonNode root) {
    List<JsonNode> all = new ArrayList<>();
    JsonNode batch = root.get("predictions");
    if (batch == null) {
      all.add(root);
    } else {
      batch.values().forEach(all::add);
    }
    return all;
  }

  private static void assertProbabilities(JsonNode probabilities, JsonNode label) {
    double sum = 0;
    double best = -1;
    String argmax = null;
    for (Map.Entry<String, JsonNode> entry : probabilities.entries()) {
      double p = entry.getValue().getNumberValue().doubleValue();
      assertTrue(p >= 0 && p <= 1, "probability " + p);
      sum += p;
      if (p > best) {
        best = p;
        argmax = entry.getKey();
      }
    }
    assertEquals(1.0, sum, 1e-6, "probabilities " + probabilities);
    assertEquals(argmax, label.getStringValue(), "the prediction is the most probable label");
  }

  private static void assertRowsSumToOne(JsonNode output) {
    JsonNode shape = output.get("shape");
    int columns = shape.get(1).getIntValue();
    List<Double> values = new ArrayList<>();
    output.get("data").values().forEach(v -> values.add(v.getNumberValue().doubleValue()));
    for (int row = 0; row * columns < values.size(); row++) {
      double sum = 0;
      for (int column = 0; column < columns; column++) {
        sum += values.get(row * columns + column);
      }
      assertEquals(1.0, sum, 1e-5, "row " + row + " of " + output);
    }
  }
}
