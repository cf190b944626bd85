package dev.predictfn.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.common.sgd.AbstractLinearSGDModel;
import org.tribuo.math.la.DenseMatrix;

/**
 * Exact per-feature explanations for a linear classifier: a class score is {@code bias + sum(weight
 * * value)}, so each feature's contribution is its weight times its value, with nothing
 * approximated.
 *
 * <p>Tribuo keeps the weights as a matrix with one row per label id and one column per feature id,
 * the intercept in the last column.
 */
public final class LinearExplainer {
  private final List<String> features;
  private final double[][] weights; // [label in card order][feature in card order]
  private final double[] biases; // [label in card order]
  private final List<String> labels;

  private LinearExplainer(
      List<String> features, List<String> labels, double[][] weights, double[] biases) {
    this.features = features;
    this.labels = labels;
    this.weights = weights;
    this.biases = biases;
  }

  /** An explainer for {@code bundle}'s model, when it is linear. */
  public static Optional<LinearExplainer> of(ModelBundle bundle) {
    Model<Label> model = bundle.model();
    if (!(model instanceof AbstractLinearSGDModel<?> linear)) {
      return Optional.empty();
    }
    DenseMatrix matrix = linear.getWeightsCopy();
    List<String> features = bundle.features();
    List<String> labels = bundle.card().labels();
    int biasColumn = model.getFeatureIDMap().size();
    double[][] weights = new double[labels.size()][features.size()];
    double[] biases = new double[labels.size()];
    for (int c = 0; c < labels.size(); c++) {
      int labelId = model.getOutputIDInfo().getID(new Label(labels.get(c)));
      for (int f = 0; f < features.size(); f++) {
        weights[c][f] = matrix.get(labelId, model.getFeatureIDMap().getID(features.get(f)));
      }
      biases[c] = matrix.get(labelId, biasColumn);
    }
    return Optional.of(
        new LinearExplainer(List.copyOf(features), List.copyOf(labels), weights, biases));
  }

  /** Explains {@code label}'s score for {@code row} (values in card feature order). */
  public Explanation explain(double[] row, String label) {
    int c = labels.indexOf(label);
    if (c < 0) {
      throw new IllegalArgumentException("unknown label " + label);
    }
    List<Explanation.Contribution> contributions = new ArrayList<>(features.size());
    double score = biases[c];
    for (int f = 0; f < features.size(); f++) {
      double contribution = weights[c][f] * row[f];
      score += contribution;
      contributions.add(
          new Explanation.Contribution(features.get(f), row[f], weights[c][f], contribution));
    }
    contributions.sort(
        Comparator.comparingDouble((Explanation.Contribution x) -> Math.abs(x.contribution()))
            .reversed());
    return new Explanation(label, score, biases[c], List.copyOf(contributions));
  }

  /** Every class' raw score for {@code row}, in card label order (softmax gives probabilities). */
  double[] scores(double[] row) {
    double[] scores = new double[labels.size()];
    for (int c = 0; c < labels.size(); c++) {
      double score = biases[c];
      for (int f = 0; f < features.size(); f++) {
        score += weights[c][f] * row[f];
      }
      scores[c] = score;
    }
    return scores;
  }
}
