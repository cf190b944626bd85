package dev.predictfn.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.predictfn.bundle.FeatureSchema;
import dev.predictfn.bundle.InputSchema;
import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.bundle.ModelCard;
import dev.predictfn.model.PredictionResult;
import dev.predictfn.support.Bundles;
import java.util.LinkedHashMap;
import java.util.List;
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
  void categoriesAndTextThatNeedsEscapingInAPredictionRecord() {
    Map<String, Long> plans = new LinkedHashMap<>();
    plans.put("basic", 10L);
    plans.put("pro \"plus\"", 5L);
    plans.put("other", 1L);
    ModelCard iris = IRIS.card();
    ModelCard card =
        new ModelCard(
            iris.formatVersion(),
            "churn",
            "2.0.0",
            iris.task(),
            List.of("plan", "tenure"),
            List.of(
                new FeatureSchema(
                    "plan",
                    FeatureSchema.CATEGORICAL,
                    null,
                    FeatureSchema.OTHER,
                    null,
                    new FeatureSchema.CategoricalStats(16, plans)),
                new FeatureSchema(
                    "tenure",
                    FeatureSchema.NUMERIC,
                    false,
                    null,
                    iris.schema().get(0).numeric(),
                    null)),
            List.of("stays", "leaves é"),
            iris.trainingData(),
            iris.tribuoVersion(),
            iris.trainer(),
            iris.evaluation(),
            iris.trainedAt(),
            iris.modelFile(),
            "abc",
            null);
    Map<String, Double> probabilities = new LinkedHashMap<>();
    probabilities.put("stays", 0.75);
    probabilities.put("leaves é", 0.25);
    RecordJson.PredictionLines lines =
        new RecordJson.PredictionLines(card, InputSchema.of(card), "rev", Protocol.BIGQUERY);
    RecordBytes out = new RecordBytes(16);
    byte[] time = RecordJson.time(1_796_000_000_000L);
    byte[] trace = RecordJson.traceField("a\"b");
    PredictionResult result = new PredictionResult("stays", probabilities).identified(ID);
    lines.append(out, time, result, new double[] {1, 12}, trace);
    lines.append(out, time, result, new double[] {InputSchema.UNKNOWN_CATEGORY, 1e-7}, trace);

    String common =
        "{\"severity\":\"INFO\",\"time\":\"2026-11-30T00:53:20Z\",\"record\":\"prediction\","
            + "\"prediction_id\":\""
            + ID
            + "\",\"model_name\":\"churn\",\"model_version\":\"2.0.0\",\"model_sha256\":\"abc\","
            + "\"revision\":\"rev\",\"protocol\":\"bigquery\",\"prediction\":\"stays\","
            + "\"probabilities\":[{\"label\":\"stays\",\"probability\":0.75},"
            + "{\"label\":\"leaves é\",\"probability\":0.25}],\"trace\":\"a\\\"b\",\"features\":[";
    assertEquals(
        common
            + "{\"name\":\"plan\",\"category\":\"pro \\\"plus\\\"\"},"
            + "{\"name\":\"tenure\",\"number\":12.0}]}\n"
            + common
            + "{\"name\":\"plan\"},{\"name\":\"tenure\",\"number\":1.0E-7}]}\n",
        out.toString(),
        "a category by name, none for one the model maps to other; quotes escaped, UTF-8 kept");
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
