package dev.predictfn.model;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.bundle.ModelBundle;
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
 * * value)} over the model's inputs, so each input's contribution is its weight times its value,
 * with nothing approximated.
 *
 * <p>The inputs are the encoded features (see {@link InputSchema}): a numeric feature's value as
 * the model sees it (standardised when the card says so), and for a categorical feature the one
 * active {@code column@category} with value 1; inactive categories contribute nothing and are left
 * out. Tribuo keeps the weights as a matrix with one row per label id and one column per feature
 * id, the intercept in the last column.
 */
public final class LinearExplainer {
  private final InputSchema schema;
  private final List<String> inputs;
  private final boolean[] oneHot;
  private final double[][] weights; // [label in card order][encoded input]
  private final double[] biases; // [label in card order]
  private final List<String> labels;

  private LinearExplainer(
      InputSchema schema, List<String> labels, double[][] weights, double[] biases) {
    this.schema = schema;
    this.inputs = schema.encodedNames();
    this.oneHot = new boolean[inputs.size()];
    for (int e = 0; e < inputs.size(); e++) {
      oneHot[e] = schema.isOneHot(e);
    }
    this.labels = labels;
    this.weights = weights;
    this.biases = biases;
  }

  /** An explainer for {@code bundle}'s model, whose inputs {@code schema} encodes, when linear. */
  public static Optional<LinearExplainer> of(ModelBundle bundle, InputSchema schema) {
    Model<Label> model = bundle.model();
    if (!(model instanceof AbstractLinearSGDModel<?> linear)) {
      return Optional.empty();
    }
    DenseMatrix matrix = linear.getWeightsCopy();
    List<String> inputs = schema.encodedNames();
    List<String> labels = bundle.card().labels();
    int biasColumn = model.getFeatureIDMap().size();
    double[][] weights = new double[labels.size()][inputs.size()];
    double[] biases = new double[labels.size()];
    for (int c = 0; c < labels.size(); c++) {
      int labelId = model.getOutputIDInfo().getID(new Label(labels.get(c)));
      for (int e = 0; e < inputs.size(); e++) {
        weights[c][e] = matrix.get(labelId, model.getFeatureIDMap().getID(inputs.get(e)));
      }
      biases[c] = matrix.get(labelId, biasColumn);
    }
    return Optional.of(new LinearExplainer(schema, List.copyOf(labels), weights, biases));
  }

  /** Explains {@code label}'s score for a validated {@code row} (card feature order). */
  public Explanation explain(double[] row, String label) {
    int c = labels.indexOf(label);
    if (c < 0) {
      throw new IllegalArgumentException("unknown label " + label);
    }
    double[] values = schema.encodeDense(row);
    List<Explanation.Contribution> contributions = new ArrayList<>(row.length);
    double score = biases[c];
    for (int e = 0; e < values.length; e++) {
      if (oneHot[e] && values[e] == 0) {
        continue;
      }
      double contribution = weights[c][e] * values[e];
      score += contribution;
      contributions.add(
          new Explanation.Contribution(inputs.get(e), values[e], weights[c][e], contribution));
    }
    contributions.sort(
        Comparator.comparingDouble((Explanation.Contribution x) -> Math.abs(x.contribution()))
            .reversed());
    return new Explanation(label, score, biases[c], List.copyOf(contributions));
  }

  /** Every class' raw score for {@code row}, in card label order (softmax gives probabilities). */
  double[] scores(double[] row) {
    double[] values = schema.encodeDense(row);
    double[] scores = new double[labels.size()];
    for (int c = 0; c < labels.size(); c++) {
      double score = biases[c];
      for (int e = 0; e < values.length; e++) {
        score += weights[c][e] * values[e];
      }
      scores[c] = score;
    }
    return scores;
  }
}
