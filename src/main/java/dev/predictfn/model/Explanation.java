package dev.predictfn.model;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * Why a linear model scored a row as it did: for the explained class, its score is exactly {@code
 * bias} plus the sum of the contributions, and softmax over all classes' scores gives the
 * probabilities.
 *
 * @param label the class explained (the predicted one)
 * @param score the class' raw score (logit) before softmax
 * @param bias the class' intercept
 * @param contributions one per model input (a numeric feature, or a categorical feature's active
 *     category), largest magnitude first
 */
@Serdeable
public record Explanation(
    String label, double score, double bias, List<Explanation.Contribution> contributions) {

  /** Whether every figure is a finite number (a JSON number); overflow makes one infinite. */
  boolean isFinite() {
    if (!Double.isFinite(score)) {
      return false;
    }
    for (Contribution c : contributions) {
      if (!Double.isFinite(c.contribution())) {
        return false;
      }
    }
    return true;
  }

  /**
   * One feature's share of a class score.
   *
   * @param feature the model input: the feature name, or {@code feature@category} for a category
   * @param value the value the model saw: the request's number (standardised when the model card
   *     says so), or 1 for the active category
   * @param weight the model's weight for this feature and class
   * @param contribution {@code weight * value}
   */
  @Serdeable
  public record Contribution(String feature, double value, double weight, double contribution) {}
}
