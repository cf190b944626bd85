package dev.predictfn.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/** Response bodies of {@code POST /predict}. */
public final class PredictionResponses {
  private PredictionResponses() {}

  /**
   * The answer to {@code {"features": ...}}.
   *
   * @param prediction the most probable label
   * @param probabilities each label's probability, summing to 1
   * @param modelVersion the version of the model that answered
   */
  @Serdeable
  public record Single(
      String prediction,
      Map<String, Double> probabilities,
      @JsonProperty("model_version") String modelVersion) {}

  /**
   * One row of a batch answer.
   *
   * @param prediction the most probable label
   * @param probabilities each label's probability, summing to 1
   */
  @Serdeable
  public record Row(String prediction, Map<String, Double> probabilities) {}

  /**
   * The answer to {@code {"instances": [...]}}, rows in request order.
   *
   * @param predictions one entry per instance
   * @param modelVersion the version of the model that answered
   */
  @Serdeable
  public record Batch(List<Row> predictions, @JsonProperty("model_version") String modelVersion) {}
}
