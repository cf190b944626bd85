package dev.predictfn.protocol.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.Predictor;
import dev.predictfn.model.ScoredRows;
import dev.predictfn.support.Bundles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replies, read from a batch's arrays, say what each row's own result says (the predictor's
 * one-result-per-row path), in call order, and NULL rows stay NULL, in each of the three formats.
 */
class RepliesEncoderTest {
  private static final Predictor PREDICTOR = new Predictor(Bundles.readBuiltIn());
  private static final double[] SETOSA = {5.1, 3.5, 1.4, 0.2};
  private static final double[] VIRGINICA = {6.7, 3.0, 5.2, 2.3};

  private final List<double[]> scoredRows = List.of(SETOSA, VIRGINICA, SETOSA);
  private final ScoredRows scored = PREDICTOR.scoreAll(scoredRows);
  private final List<PredictionResult> results = PREDICTOR.predictAll(scoredRows);
  private final List<double[]> calls = new ArrayList<>();

  RepliesEncoderTest() {
    calls.add(null);
    calls.add(SETOSA);
    calls.add(VIRGINICA);
    calls.add(null);
    calls.add(SETOSA);
  }

  @Test
  void labels() {
    assertEquals(
        "{\"replies\":[null,\"setosa\",\"virginica\",null,\"setosa\"]}",
        encode(new ReplyFormat(ReplyFormat.Kind.LABEL, null, true)));
  }

  @Test
  void theProbabilityOfTheNamedLabel() {
    StringBuilder expected = new StringBuilder("{\"replies\":[null");
    for (int i = 0; i < results.size(); i++) {
      expected
          .append(i == 2 ? ",null," : ",")
          .append(results.get(i).probabilities().get("virginica"));
    }
    assertEquals(
        expected.append("]}").toString(),
        encode(new ReplyFormat(ReplyFormat.Kind.PROBABILITY, "virginica", true)));
  }

  @Test
  void objectsWithEveryProbabilityAndTheVersion() {
    assertEquals(
        "{\"replies\":[null,"
            + reply(results.get(0))
            + ","
            + reply(results.get(1))
            + ",null,"
            + reply(results.get(2))
            + "]}",
        encode(new ReplyFormat(ReplyFormat.Kind.JSON, null, true)));
  }

  private String encode(ReplyFormat format) {
    return new String(RepliesEncoder.encode(calls, scored, format, "v1"), StandardCharsets.UTF_8);
  }

  private static String reply(PredictionResult result) {
    StringBuilder reply =
        new StringBuilder("{\"label\":\"" + result.label() + "\",\"probabilities\":{");
    for (int c = 0; c < result.probabilities().size(); c++) {
      reply.append(c == 0 ? "" : ",").append('"').append(result.labelAt(c)).append("\":");
      reply.append(result.probabilityAt(c));
    }
    return reply.append("},\"model_version\":\"v1\"}").toString();
  }
}
