package dev.predictfn.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.Predictor;
import dev.predictfn.model.ScoredRows;
import dev.predictfn.scoring.Scorer;
import dev.predictfn.support.HttpAnswer;
import dev.predictfn.support.HttpCall;
import dev.predictfn.support.Json;
import dev.predictfn.support.NettyTransport;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * Prediction ids in every protocol's answer and the records behind them, over real HTTP against the
 * embedded server, with the records captured instead of written to stdout.
 */
class PredictionRecordsTest {
  private static final String VERTEX_PREDICT = "/v1/endpoints/1/deployedModels/2:predict";
  private static final String ROW = "[6.7,3.0,5.2,2.3]";

  static EmbeddedServer start(Map<String, Object> extra) {
    Map<String, Object> properties = new HashMap<>(extra);
    properties.put("micronaut.server.port", -1);
    properties.put(CapturedRecords.PROPERTY, "true");
    properties.put("predict.vertex.predict-route", VERTEX_PREDICT);
    properties.put("predict.vertex.health-route", "/v1/endpoints/1/deployedModels/2");
    properties.put("predict.deployment.revision", "prediction-function-00042-abc");
    return ApplicationContext.run(EmbeddedServer.class, properties);
  }

  static NettyTransport http(EmbeddedServer server) {
    return new NettyTransport(URI.create(server.getURL().toString()));
  }

  /** The records written once the writer has caught up with {@code expected} of them. */
  static HttpAnswer ok(NettyTransport http, HttpCall call) throws Exception {
    HttpAnswer answer = http.send(call);
    assertEquals(200, answer.status(), answer.body());
    return answer;
  }

  @Test
  void everyProtocolAnswersDistinctIdsAndEveryRowIsRecorded() throws Exception {
    try (EmbeddedServer server = start(Map.of("predict.records.sample", 1))) {
      NettyTransport http = http(server);
      String trace = "105445aa7843bc8bf206b12000100000";
      Map<String, String> protocolOf = new HashMap<>();

      JsonNode single =
          Json.parse(
              ok(
                      http,
                      HttpCall.postJson("/predict", "{\"features\":" + ROW + "}")
                          .withHeader("X-Cloud-Trace-Context", trace + "/1;o=1"))
                  .body());
      protocolOf.put(single.get("prediction_id").getStringValue(), "predict");
      JsonNode batch =
          Json.parse(
              ok(http, HttpCall.postJson("/predict", "{\"instances\":[" + ROW + "," + ROW + "]}"))
                  .body());
      for (JsonNode row : batch.get("predictions").values()) {
        protocolOf.put(row.get("prediction_id").getStringValue(), "predict");
      }
      JsonNode oip =
          Json.parse(
              ok(
                      http,
                      HttpCall.postJson(
                          "/v2/models/iris-sgd/infer",
                          "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,4],\"datatype\":\"FP32\","
                              + "\"data\":[6.7,3.0,5.2,2.3,5.1,3.5,1.4,0.2]}]}"))
                  .body());
      JsonNode oipIds = oip.get("parameters").get("prediction_ids");
      assertEquals(2, oipIds.size(), oip.toString());
      for (JsonNode id : oipIds.values()) {
        protocolOf.put(id.getStringValue(), "oip");
      }
      JsonNode vertex =
          Json.parse(
              ok(
                      http,
                      HttpCall.postJson(
                          VERTEX_PREDICT, "{\"instances\":[" + ROW + "," + ROW + "]}"))
                  .body());
      for (JsonNode row : vertex.get("predictions").values()) {
        protocolOf.put(row.get("prediction_id").getStringValue(), "vertex");
      }
      String bigQueryRequest =
          "{\"requestId\":\"r1\",\"calls\":[" + ROW + "," + ROW + "," + ROW + "]}";
      HttpAnswer bigQuery = ok(http, HttpCall.postJson("/bigquery", bigQueryRequest));
      assertFalse(bigQuery.body().contains("prediction_id"), "BigQuery's reply keeps its contract");

      assertEquals(7, protocolOf.size(), "7 rows answered, 7 distinct ids: " + protocolOf);
      for (String id : protocolOf.keySet()) {
        assertTrue(id.matches(Json.PREDICTION_ID), id);
      }

      List<JsonNode> records = CapturedRecords.await(server.getApplicationContext(), 10);
      assertEquals(10, records.size(), "one record per row, BigQuery's three included");
      Set<String> recordedIds = new HashSet<>();
      int bigQueryRows = 0;
      for (JsonNode record : records) {
        String id = record.get("prediction_id").getStringValue();
        assertTrue(recordedIds.add(id), "id recorded twice: " + id);
        assertEquals("prediction", record.get("record").getStringValue());
        assertEquals("iris-sgd", record.get("model_name").getStringValue());
        assertEquals("prediction-function-00042-abc", record.get("revision").getStringValue());
        assertEquals(64, record.get("model_sha256").getStringValue().length());
        String protocol = record.get("protocol").getStringValue();
        if (protocol.equals("bigquery")) {
          bigQueryRows++;
        } else {
          assertEquals(protocolOf.get(id), protocol, "protocol of " + id);
        }
        assertEquals(3, record.get("probabilities").size());
        assertEquals(4, record.get("features").size());
      }
      assertEquals(3, bigQueryRows);
      assertTrue(recordedIds.containsAll(protocolOf.keySet()));
      JsonNode traced =
          records.stream()
              .filter(
                  r ->
                      r.get("prediction_id")
                          .getStringValue()
                          .equals(single.get("prediction_id").getStringValue()))
              .findFirst()
              .orElseThrow();
      assertEquals(trace, traced.get("trace").getStringValue(), "the request's trace");
      assertEquals("virginica", traced.get("prediction").getStringValue());
    }
  }

  @Test
  void theSamplingRateIsHonouredRowByRow() throws Exception {
    double sample = 0.2;
    int requests = 6;
    int rowsPerRequest = 1000;
    try (EmbeddedServer server = start(Map.of("predict.records.sample", sample))) {
      NettyTransport http = http(server);
      StringJoiner rows = new StringJoiner(",", "{\"instances\":[", "]}");
      for (int i = 0; i < rowsPerRequest; i++) {
        rows.add(ROW);
      }
      Set<String> answered = new HashSet<>();
      List<Set<String>> byRequest = new ArrayList<>();
      for (int r = 0; r < requests; r++) {
        JsonNode body = Json.parse(ok(http, HttpCall.postJson("/predict", rows.toString())).body());
        Set<String> ids = new HashSet<>();
        body.get("predictions")
            .values()
            .forEach(p -> ids.add(p.get("prediction_id").getStringValue()));
        answered.addAll(ids);
        byRequest.add(ids);
      }
      int n = requests * rowsPerRequest;
      assertEquals(n, answered.size(), "every row has its own id, sampled or not");

      List<JsonNode> records = CapturedRecords.drained(server.getApplicationContext());
      // Binomial(6000, 0.2): mean 1200, standard deviation 31; 5 deviations fail once in 3.5
      // million.
      double mean = n * sample;
      double deviation = Math.sqrt(n * sample * (1 - sample));
      assertTrue(
          Math.abs(records.size() - mean) < 5 * deviation,
          records.size() + " records for " + n + " rows at " + sample);
      // Sampled within requests, not whole requests: every request contributed some records.
      Set<String> recorded = new HashSet<>();
      for (JsonNode record : records) {
        String id = record.get("prediction_id").getStringValue();
        assertTrue(answered.contains(id), id);
        recorded.add(id);
      }
      for (Set<String> ids : byRequest) {
        long ofRequest = ids.stream().filter(recorded::contains).count();
        assertTrue(ofRequest > 0 && ofRequest < ids.size(), ofRequest + " of " + ids.size());
      }
    }
  }

  @Test
  void aProtocolThatAnswersNoIdsGivesOnlyItsRecordedRowsOne() {
    try (EmbeddedServer server = start(Map.of("predict.records.sample", 0.3))) {
      Scorer scorer = server.getApplicationContext().getBean(Scorer.class);
      Predictor predictor = scorer.predictor();
      List<double[]> rows = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        rows.add(new double[] {6.7, 3.0, 5.2, 2.3});
      }
      List<PredictionResult> answered =
          scorer.score(predictor, rows, false, Protocol.PREDICT, i -> "#/instances/" + i);
      assertTrue(answered.stream().allMatch(r -> r.id() != null), "every answered row has one");
      int recordsOfPredict = CapturedRecords.drained(server.getApplicationContext()).size();

      // BigQuery's replies carry no ids: its rows are scored into arrays, and only a recorded row
      // gets an id, in its record. Each seam refuses the other kind of protocol before it scores.
      ScoredRows replied =
          scorer.scoreRows(predictor, rows, Protocol.BIGQUERY, i -> "calls[" + i + "]");
      assertEquals(1000, replied.size());
      assertThrows(
          IllegalArgumentException.class,
          () -> scorer.score(predictor, rows, false, Protocol.BIGQUERY, i -> "calls[" + i + "]"));
      assertThrows(
          IllegalArgumentException.class,
          () -> scorer.scoreRows(predictor, rows, Protocol.PREDICT, i -> "#/instances/" + i));
      List<JsonNode> records = CapturedRecords.drained(server.getApplicationContext());
      List<JsonNode> ofBigQuery =
          records.stream()
              .filter(r -> r.get("protocol").getStringValue().equals("bigquery"))
              .toList();
      assertEquals(
          recordsOfPredict + ofBigQuery.size(),
          records.size(),
          "the refused scoreRows(PREDICT) recorded nothing");
      Set<String> recorded = new HashSet<>();
      ofBigQuery.forEach(r -> recorded.add(r.get("prediction_id").getStringValue()));
      assertEquals(ofBigQuery.size(), recorded.size(), "each recorded row has an id of its own");
      // Binomial(1000, 0.3): mean 300, standard deviation 14.5; 5 deviations either side.
      assertTrue(Math.abs(recorded.size() - 300) < 73, recorded.size() + " of 1000 recorded");
      assertTrue(Math.abs(recordsOfPredict - 300) < 73, recordsOfPredict + " of 1000 recorded");
    }
  }

  @Test
  void sampleZeroRecordsNothingButStillAnswersIds() throws Exception {
    try (EmbeddedServer server = start(Map.of("predict.records.sample", 0))) {
      JsonNode body =
          Json.parse(
              ok(http(server), HttpCall.postJson("/predict", "{\"features\":" + ROW + "}")).body());
      assertTrue(body.get("prediction_id").getStringValue().matches(Json.PREDICTION_ID));
      assertEquals(List.of(), CapturedRecords.drained(server.getApplicationContext()));
    }
  }

  @Test
  void featuresCanBeLeftOutOfRecords() throws Exception {
    try (EmbeddedServer server =
        start(Map.of("predict.records.sample", 1, "predict.records.features", false))) {
      ok(http(server), HttpCall.postJson("/predict", "{\"features\":" + ROW + "}"));
      List<JsonNode> records = CapturedRecords.await(server.getApplicationContext(), 1);
      assertEquals(1, records.size());
      assertNull(records.get(0).get("features"), records.get(0).toString());
      assertNotNull(records.get(0).get("probabilities"));
    }
  }

  @Test
  void aSamplingRateOutsideZeroToOneStopsTheStart() {
    ApplicationContext context =
        ApplicationContext.builder()
            .properties(Map.of("micronaut.server.port", -1, "predict.records.sample", 1.5))
            .build();
    try {
      Exception refused = assertThrows(Exception.class, context::start);
      List<String> messages = new ArrayList<>();
      for (Throwable t = refused; t != null; t = t.getCause()) {
        messages.add(String.valueOf(t.getMessage()));
      }
      assertTrue(
          messages.stream()
              .anyMatch(m -> m.contains("PREDICTION_LOG_SAMPLE must be a number from 0 to 1")),
          String.join("\n", messages));
    } finally {
      if (context.isRunning()) {
        context.close();
      }
    }
  }
}
