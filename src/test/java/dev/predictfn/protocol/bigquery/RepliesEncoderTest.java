package dev.predictfn.protocol.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.Predictor;
import dev.predictfn.support.Bundles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replies name each label as the result does, whether its labels are encoded once per request (a
 * predictor's results, by position) or afresh (a result made otherwise), and NULL rows stay NULL.
 */
class RepliesEncoderTest {
  @Test
  void labelsAreTheResultsWhetherKnownByPositionOrNot() {
    Predictor predictor = new Predictor(Bundles.readBuiltIn());
    double[] setosa = {5.1, 3.5, 1.4, 0.2};
    double[] virginica = {6.7, 3.0, 5.2, 2.3};
    List<PredictionResult> results =
        new ArrayList<>(predictor.predictAll(List.of(setosa, virginica)));
    Map<String, Double> other = new LinkedHashMap<>();
    other.put("b\"c", 0.25);
    other.put("é", 0.75);
    results.add(new PredictionResult("é", other));
    List<double[]> rows = new ArrayList<>(List.of(setosa, virginica));
    rows.add(null);
    rows.add(setosa);

    String labels =
        new String(
            RepliesEncoder.encode(
                rows, results, new ReplyFormat(ReplyFormat.Kind.LABEL, null, true), "v1"),
            StandardCharsets.UTF_8);
    assertEquals("{\"replies\":[\"setosa\",\"virginica\",null,\"é\"]}", labels);

    String json =
        new String(
            RepliesEncoder.encode(
                rows, results, new ReplyFormat(ReplyFormat.Kind.JSON, null, true), "v1"),
            StandardCharsets.UTF_8);
    String first = reply("setosa", results.get(0));
    String second = reply("virginica", results.get(1));
    assertEquals(
        "{\"replies\":["
            + first
            + ","
            + second
            + ",null,{\"label\":\"é\",\"probabilities\":{\"b\\\"c\":0.25,\"é\":0.75},"
            + "\"model_version\":\"v1\"}]}",
        json);
  }

  private static String reply(String label, PredictionResult result) {
    StringBuilder reply = new StringBuilder("{\"label\":\"" + label + "\",\"probabilities\":{");
    for (int c = 0; c < result.probabilities().size(); c++) {
      reply.append(c == 0 ? "" : ",").append('"').append(result.labelAt(c)).append("\":");
      reply.append(result.probabilityAt(c));
    }
    return reply.append("},\"model_version\":\"v1\"}").toString();
  }
}
