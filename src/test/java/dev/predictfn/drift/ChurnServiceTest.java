package dev.predictfn.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.support.HttpAnswer;
import dev.predictfn.support.HttpCall;
import dev.predictfn.support.Json;
import dev.predictfn.support.NettyTransport;
import dev.predictfn.training.ChurnTestData;
import dev.predictfn.training.TrainingFixtures;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The churn model served over real HTTP: categorical features are validated against the card, and
 * the online drift gauges on /metrics stay low for traffic like the training data and rise for the
 * feature with a planted shift.
 */
class ChurnServiceTest {
  @TempDir static Path dir;
  private static Path bundle;

  @BeforeAll
  static void trainChurn() throws Exception {
    bundle = TrainingFixtures.trainChurn(dir.resolve("churn"));
  }

  private static EmbeddedServer start() {
    return ApplicationContext.run(
        EmbeddedServer.class,
        Map.of(
            "micronaut.server.port", -1,
            "predict.model.path", bundle.toString(),
            "predict.drift.window-rows", 4000,
            "predict.drift.min-rows", 500));
  }

  private static final String CUSTOMER =
      "{\"tenure_months\": 3, \"monthly_charges\": 95.5, \"contract\": \"month-to-month\","
          + " \"internet_service\": \"fiber\", \"payment_method\": \"%s\","
          + " \"paperless_billing\": \"yes\", \"senior_citizen\": 0, \"support_calls\": 4}";

  @Test
  void predictsARowWithCategoricalFeaturesByName() throws Exception {
    try (EmbeddedServer server = start()) {
      NettyTransport http = new NettyTransport(URI.create(server.getURL().toString()));
      HttpAnswer answer =
          http.send(
              HttpCall.postJson(
                  "/predict?explain=true",
                  "{\"features\": " + CUSTOMER.formatted("electronic-check") + "}"));

      assertEquals(200, answer.status(), answer.body());
      JsonNode body = Json.parse(answer.body());
      assertEquals("yes", body.get("prediction").getStringValue(), answer.body());
      assertTrue(answer.body().contains("\"feature\":\"contract@month-to-month\""), answer.body());
    }
  }

  @Test
  void anUnknownCategoryOfARejectingFeatureIs400NamingTheKnownOnes() throws Exception {
    try (EmbeddedServer server = start()) {
      NettyTransport http = new NettyTransport(URI.create(server.getURL().toString()));
      String row = CUSTOMER.formatted("credit-card").replace("month-to-month", "weekly");
      HttpAnswer answer = http.send(HttpCall.postJson("/predict", "{\"features\": " + row + "}"));

      assertEquals(400, answer.status(), answer.body());
      JsonNode error = Json.parse(answer.body()).get("errors").get(0);
      assertEquals("#/features/contract", error.get("pointer").getStringValue());
      assertEquals(
          "features.contract is \"weekly\", a category the model was not trained on; send one of"
              + " [month-to-month, one-year, two-year].",
          error.get("detail").getStringValue());
    }
  }

  @Test
  void anUnknownCategoryOfAFeatureMappedToOtherIsScored() throws Exception {
    try (EmbeddedServer server = start()) {
      NettyTransport http = new NettyTransport(URI.create(server.getURL().toString()));
      HttpAnswer answer =
          http.send(
              HttpCall.postJson(
                  "/predict", "{\"features\": " + CUSTOMER.formatted("crypto") + "}"));
      assertEquals(200, answer.status(), answer.body());
    }
  }

  @Test
  void aNumberForACategoricalFeatureIs400() throws Exception {
    try (EmbeddedServer server = start()) {
      NettyTransport http = new NettyTransport(URI.create(server.getURL().toString()));
      String row = CUSTOMER.formatted("credit-card").replace("\"fiber\"", "2");
      HttpAnswer answer = http.send(HttpCall.postJson("/predict", "{\"features\": " + row + "}"));
      assertEquals(400, answer.status(), answer.body());
      assertTrue(
          answer.body().contains("is categorical and must be a string, one of [dsl, fiber, none]"));
    }
  }

  @Test
  void aBigQueryFunctionTakesCategoricalArgumentsAsStrings() throws Exception {
    // The arguments of CREATE FUNCTION predict_churn(tenure_months FLOAT64, monthly_charges
    // FLOAT64, contract STRING, ...), in the card's feature order, as BigQuery encodes them.
    String customer = "[3,95.5,\"month-to-month\",\"fiber\",\"%s\",\"yes\",\"0\",4]";
    try (EmbeddedServer server = start()) {
      NettyTransport http = new NettyTransport(URI.create(server.getURL().toString()));
      HttpAnswer scored =
          http.send(
              HttpCall.postJson(
                  "/bigquery",
                  "{\"requestId\":\"r1\",\"userDefinedContext\":{\"return\":\"probability\","
                      + "\"class\":\"yes\"},\"calls\":["
                      + customer.formatted("electronic-check")
                      + ","
                      + customer.formatted("crypto")
                      + "]}"));
      assertEquals(200, scored.status(), scored.body());
      JsonNode replies = Json.parse(scored.body()).get("replies");
      assertEquals(2, replies.size());
      assertTrue(replies.get(0).getDoubleValue() > 0.5, scored.body());

      HttpAnswer refused =
          http.send(
              HttpCall.postJson(
                  "/bigquery",
                  "{\"calls\":["
                      + customer.formatted("credit-card").replace("month-to-month", "weekly")
                      + "]}"));
      assertEquals(400, refused.status(), refused.body());
      assertEquals(
          "calls[0][2] (contract) is \"weekly\", a category the model was not trained on; send"
              + " one of [month-to-month, one-year, two-year].",
          Json.parse(refused.body()).get("errorMessage").getStringValue());

      HttpAnswer number =
          http.send(
              HttpCall.postJson(
                  "/bigquery",
                  "{\"calls\":["
                      + customer.formatted("credit-card").replace("\"fiber\"", "2")
                      + "]}"));
      assertEquals(400, number.status(), number.body());
      assertTrue(number.body().contains("calls[0][3] (internet_service) is categorical"));
    }
  }

  @Test
  void driftGaugesStayLowForTrainingLikeTrafficAndRiseForAPlantedShift() throws Exception {
    Map<String, Double> fresh = psiAfterSending(ChurnTestData.generate(1000, 11, 0));
    Map<String, Double> shifted = psiAfterSending(ChurnTestData.generate(1000, 11, 15));

    assertTrue(fresh.get("monthly_charges") < 0.1, "fresh " + fresh);
    assertTrue(fresh.get("contract") < 0.1, "fresh " + fresh);
    assertTrue(shifted.get("monthly_charges") > 0.2, "shifted " + shifted);
    assertTrue(shifted.get("contract") < 0.1, "shifted " + shifted);
  }

  /** Sends the CSV's rows to a fresh server in batches of 100 and reads the PSI gauges. */
  private static Map<String, Double> psiAfterSending(String csv) throws Exception {
    List<String> lines = csv.lines().toList();
    String[] header = lines.get(0).split(",");
    try (EmbeddedServer server = start()) {
      NettyTransport http = new NettyTransport(URI.create(server.getURL().toString()));
      String metrics = http.send(HttpCall.get("/metrics")).body();
      assertTrue(metrics.contains("prediction_feature_psi{feature=\"monthly_charges\""), metrics);
      assertTrue(gauges(metrics).get("monthly_charges").isNaN(), "NaN below min-rows");
      for (int start = 1; start < lines.size(); start += 100) {
        StringBuilder batch = new StringBuilder("{\"instances\": [");
        for (int i = start; i < Math.min(start + 100, lines.size()); i++) {
          String[] cells = lines.get(i).split(",");
          batch.append(i == start ? "{" : ",{");
          for (int c = 0; c < header.length - 1; c++) {
            boolean text = cells[c].matches("[a-z-]+");
            batch
                .append(c == 0 ? "" : ",")
                .append('"')
                .append(header[c])
                .append("\":")
                .append(text ? "\"" + cells[c] + "\"" : cells[c]);
          }
          batch.append('}');
        }
        HttpAnswer answer = http.send(HttpCall.postJson("/predict", batch.append("]}").toString()));
        assertEquals(200, answer.status(), answer.body());
      }
      return gauges(http.send(HttpCall.get("/metrics")).body());
    }
  }

  private static Map<String, Double> gauges(String metrics) {
    Map<String, Double> psi = new java.util.TreeMap<>();
    Matcher m =
        Pattern.compile("prediction_feature_psi\\{feature=\"([a-z_]+)\"[^}]*} (\\S+)")
            .matcher(metrics);
    while (m.find()) {
      psi.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return psi;
  }

  @Test
  @SuppressWarnings("unchecked")
  void theOpenApiExamplesAreMadeForTheServingModelAndAccepted() throws Exception {
    try (EmbeddedServer server = start()) {
      NettyTransport http = new NettyTransport(URI.create(server.getURL().toString()));
      HttpAnswer document = http.send(HttpCall.get("/swagger/prediction-function.yml"));
      assertEquals(200, document.status(), document.body());
      Map<String, Map<String, Map<String, Object>>> paths =
          (Map<String, Map<String, Map<String, Object>>>)
              new Yaml().<Map<String, Object>>load(document.body()).get("paths");

      assertTrue(paths.containsKey("/predict"), document.body());
      Map<String, Object> predictExamples = examples(paths.get("/predict").get("post"));
      assertEquals(3, predictExamples.size(), predictExamples.toString());
      for (Map.Entry<String, Object> example : predictExamples.entrySet()) {
        Object value = ((Map<String, Object>) example.getValue()).get("value");
        String body = JsonMapper.createDefault().writeValueAsString(value);
        assertTrue(body.contains("month-to-month") || body.contains("tenure_months"), body);
        HttpAnswer answer = http.send(HttpCall.postJson("/predict", body));
        assertEquals(200, answer.status(), example.getKey() + ": " + body + " -> " + answer.body());
      }
      // The Open Inference Protocol takes numeric tensors only: no example it would refuse.
      assertEquals(null, examples(paths.get("/v2/models/{name}/infer").get("post")));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> examples(Map<String, Object> post) {
    Map<String, Object> content =
        (Map<String, Object>) ((Map<String, Object>) post.get("requestBody")).get("content");
    return (Map<String, Object>)
        ((Map<String, Object>) content.get("application/json")).get("examples");
  }
}
