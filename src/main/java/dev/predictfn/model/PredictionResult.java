package dev.predictfn.model;

import io.micronaut.core.annotation.Nullable;
import java.util.Iterator;
import java.util.Map;

/**
 * One row's prediction.
 *
 * @param label the most probable label
 * @param probabilities each label's probability, in the card's label order; they sum to 1
 * @param explanation why the model chose {@code label}, when an explanation was asked for
 * @param id the prediction id the scoring seam gave it ({@code null} until then, and in the batch
 *     job, which has none; a BigQuery row becomes a result only when it is recorded, with its id)
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

  /**
   * The label of {@link #probabilities()}'s {@code c}th entry, in its order (the card's label order
   * for a {@link Predictor}'s result): with {@link #probabilityAt}, a walk through the
   * probabilities without an entry object or a boxed number for each.
   */
  public String labelAt(int c) {
    return probabilities instanceof LabelProbabilities p ? p.labelAt(c) : entryAt(c).getKey();
  }

  /**
   * The position of {@link #label()} among {@link #labelAt}'s labels, known without a lookup for a
   * {@link Predictor}'s result, whose labels are its card's: what lets a caller keep what it
   * derives from each label (an encoded name, a counter) in an array instead of a map; -1 when the
   * label is not among them or the result was made otherwise.
   */
  public int labelIndex() {
    return probabilities instanceof LabelProbabilities p ? p.predicted() : -1;
  }

  /** The probability of {@link #probabilities()}'s {@code c}th entry (see {@link #labelAt}). */
  public double probabilityAt(int c) {
    return probabilities instanceof LabelProbabilities p ? p.valueAt(c) : entryAt(c).getValue();
  }

  private Map.Entry<String, Double> entryAt(int c) {
    Iterator<Map.Entry<String, Double>> entries = probabilities.entrySet().iterator();
    for (int skip = 0; skip < c; skip++) {
      entries.next();
    }
    return entries.next();
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
