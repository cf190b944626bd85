package dev.predictfn.protocol.predict;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.predictfn.model.Explanation;
import dev.predictfn.model.PredictionResult;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Response bodies of {@code POST /predict} (and, {@link Row}, of Vertex AI's route). */
public final class PredictionResponses {
  private PredictionResponses() {}

  /**
   * The answer to {@code {"features": ...}}.
   *
   * @param prediction the most probable label
   * @param probabilities each label's probability, summing to 1
   * @param explanation per-feature contributions, only with {@code ?explain=true}
   * @param modelVersion the version of the model that answered
   * @param predictionId the id to send ground truth to {@code POST /feedback} with
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Single(
      String prediction,
      Map<String, Double> probabilities,
      @Nullable Explanation explanation,
      @JsonProperty("model_version") String modelVersion,
      @JsonProperty("prediction_id") String predictionId) {

    /** The answer for one prediction. */
    public static Single of(PredictionResult result, String modelVersion) {
      return new Single(
          result.label(), result.probabilities(), result.explanation(), modelVersion, result.id());
    }
  }

  /**
   * One row of a batch answer.
   *
   * @param prediction the most probable label
   * @param probabilities each label's probability, summing to 1
   * @param explanation per-feature contributions, only with {@code ?explain=true}
   * @param predictionId the id to send ground truth to {@code POST /feedback} with
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Row(
      String prediction,
      Map<String, Double> probabilities,
      @Nullable Explanation explanation,
      @JsonProperty("prediction_id") String predictionId) {
    /** The answer row for one prediction. */
    public static Row of(PredictionResult result) {
      return new Row(result.label(), result.probabilities(), result.explanation(), result.id());
    }

    /** Answer rows for predictions, in order. */
    public static List<Row> of(List<PredictionResult> results) {
      List<Row> rows = new ArrayList<>(results.size());
      for (PredictionResult result : results) {
        rows.add(of(result));
      }
      return rows;
    }
  }

  /**
   * The answer to {@code {"instances": [...]}}, rows in request order.
   *
   * @param predictions one entry per instance
   * @param modelVersion the version of the model that answered
   */
  @Serdeable
  public record Batch(List<Row> predictions, @JsonProperty("model_version") String modelVersion) {}
}
