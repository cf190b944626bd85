package dev.predictfn.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.support.Bundles;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The records' JSON, byte for byte: the shape the BigQuery tables of a logging sink are made from
 * and the {@code evaluate} mode reads. A change here is a change of contract: the view, evaluate,
 * and existing tables must change with it (docs/operations.md).
 */
class PredictionRecordContractTest {
  private static final ModelBundle IRIS = Bundles.readBuiltIn();
  private static final String ID = "0193a5f2-8e41-7c3a-9d2e-5b7f0c1a2b3c";

  @Test
  void aPredictionRecord() {
    Map<String, Double> probabilities = new LinkedHashMap<>();
    probabilities.put("setosa", 0.0125);
    probabilities.put("versicolor", 0.25);
    probabilities.put("virginica", 0.7375);

    String line =
        RecordLineWriter.prediction(
            IRIS,
            1_796_000_000_123L,
            "prediction-function-00042-abc",
            ID,
            "virginica",
            probabilities,
            new double[] {6.7, 3, 5.2, 2.3},
            "105445aa7843bc8bf206b12000100000");

    assertEquals(
        "{\"severity\":\"INFO\",\"time\":\"2026-11-30T00:53:20.123Z\",\"record\":\"prediction\","
            + "\"prediction_id\":\""
            + ID
            + "\",\"model_name\":\"iris-sgd\",\"model_version\":\"0.1.0\",\"model_sha256\":\""
            + IRIS.card().modelSha256()
            + "\",\"revision\":\"prediction-function-00042-abc\",\"protocol\":\"predict\","
            + "\"prediction\":\"virginica\",\"probabilities\":["
            + "{\"label\":\"setosa\",\"probability\":0.0125},"
            + "{\"label\":\"versicolor\",\"probability\":0.25},"
            + "{\"label\":\"virginica\",\"probability\":0.7375}],"
            + "\"trace\":\"105445aa7843bc8bf206b12000100000\",\"features\":["
            + "{\"name\":\"sepal_length\",\"number\":6.7},{\"name\":\"sepal_width\",\"number\":3.0},"
            + "{\"name\":\"petal_length\",\"number\":5.2},{\"name\":\"petal_width\",\"number\":2.3}]}",
        line,
        "whole numbers are written as 3.0, never 3, so a table's column never changes type");
  }

  @Test
  void aFeedbackRecord() {
    assertEquals(
        "{\"severity\":\"INFO\",\"time\":\"2026-11-30T00:53:20.123Z\",\"record\":\"feedback\","
            + "\"prediction_id\":\""
            + ID
            + "\",\"label\":\"setosa\",\"revision\":\"\"}",
        RecordLineWriter.feedback(1_796_000_000_123L, ID, "setosa", ""));
  }
}
