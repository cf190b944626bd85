package dev.predictfn.model;

import io.micronaut.core.annotation.Nullable;
import java.util.Map;

/**
 * One row's prediction.
 *
 * @param label the most probable label
 * @param probabilities each label's probability, in the card's label order; they sum to 1
 * @param explanation why the model chose {@code label}, when an explanation was asked for
 * @param id the prediction id the scoring seam gave it ({@code null} until then, and in the batch
 *     job, which has none)
 */
public record PredictionResult(
    String label,
    Map<String, Double> probabilities,
    @Nullable Explanation explanation,
    @Nullable String id) {

  /** A prediction without explanation or id. */
  public PredictionResult(String label, Map<String, Double> probabilities) {
    this(label, probabilities, null, null);
  }

  /** The same prediction with {@code explanation} attached. */
  public PredictionResult explained(Explanation explanation) {
    return new PredictionResult(label, probabilities, explanation, id);
  }

  /** The same prediction with its prediction id. */
  public PredictionResult identified(String predictionId) {
    return new PredictionResult(label, probabilities, explanation, predictionId);
  }
}
