package dev.predictfn.model;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.predictfn.bundle.InputSchema;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.protos.ClassificationLinearSGDProto;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.util.ExpNormalizer;

/**
 * Tribuo's prediction for a linear SGD classifier with the softmax of the multinomial logistic
 * objective, worked out without Tribuo's objects for every row (example, feature vector,
 * prediction, a label and a map per class). It does Tribuo's arithmetic in Tribuo's order, so every
 * probability is the same {@code double}:
 *
 * <ul>
 *   <li>the inputs are {@link InputSchema#encode}'s, the ones {@link InputSchema#example} hands to
 *       Tribuo, in Tribuo's feature-id order, the intercept's constant 1 last;
 *   <li>a class's score is {@code 0.0 + w[i][j] * x[j] + ...} over every feature id when every
 *       feature is active (Tribuo's dense vector), else over the active ones (its sparse vector);
 *   <li>the softmax subtracts the largest score, sums {@code exp} in class order and divides;
 *   <li>the predicted class is the first with the largest probability.
 * </ul>
 *
 * <p>For a model of another kind there is no scorer, and {@link Predictor} asks Tribuo. So it does
 * for a row this class cannot take the way Tribuo would (an input the model does not know, a value
 * that is not a number): Tribuo's own answer or exception then stands. {@code LinearScorerTest}
 * compares both paths bit for bit over many rows of numeric and categorical models.
 */
final class LinearScorer {
  private final InputSchema schema;
  private final double[][] weights; // [class id][feature id], the intercept in the last column
  private final int[] featureId; // [encoded column] -> Tribuo's feature id, or -1
  private final int features; // Tribuo's feature count (ids 0..features-1; the intercept after)
  private final String[] classLabel; // [class id] -> label
  private final int[] cardClass; // [label in card order] -> class id, or -1
  private final int[] classCard; // [class id] -> its label's position in card order, or -1

  private LinearScorer(
      InputSchema schema,
      double[][] weights,
      int[] featureId,
      int features,
      String[] classLabel,
      int[] cardClass) {
    this.schema = schema;
    this.weights = weights;
    this.featureId = featureId;
    this.features = features;
    this.classLabel = classLabel;
    this.cardClass = cardClass;
    this.classCard = new int[classLabel.length];
    Arrays.fill(classCard, -1);
    for (int c = 0; c < cardClass.length; c++) {
      if (cardClass[c] >= 0) {
        classCard[cardClass[c]] = c;
      }
    }
  }

  /**
   * The scorer for {@code model}, when it is a {@link LinearSGDModel} whose scores go through a
   * softmax (what training writes); empty for anything else.
   */
  static Optional<LinearScorer> of(Model<Label> model, InputSchema schema, List<String> labels) {
    if (model.getClass() != LinearSGDModel.class || !softmax((LinearSGDModel) model)) {
      return Optional.empty();
    }
    LinearSGDModel linear = (LinearSGDModel) model;
    ImmutableFeatureMap featureMap = model.getFeatureIDMap();
    DenseMatrix matrix = linear.getWeightsCopy();
    int classes = model.getOutputIDInfo().size();
    int features = featureMap.size();
    if (matrix.getDimension1Size() != classes || matrix.getDimension2Size() != features + 1) {
      return Optional.empty();
    }
    double[][] weights = new double[classes][features + 1];
    String[] classLabel = new String[classes];
    for (int i = 0; i < classes; i++) {
      for (int j = 0; j <= features; j++) {
        weights[i][j] = matrix.get(i, j);
      }
      classLabel[i] = model.getOutputIDInfo().getOutput(i).getLabel();
    }
    List<String> encoded = schema.encodedNames();
    int[] featureId = new int[encoded.size()];
    for (int e = 0; e < featureId.length; e++) {
      featureId[e] = featureMap.getID(encoded.get(e));
    }
    int[] cardClass = new int[labels.size()];
    for (int c = 0; c < cardClass.length; c++) {
      cardClass[c] = List.of(classLabel).indexOf(labels.get(c));
    }
    return Optional.of(
        new LinearScorer(schema, weights, featureId, features, classLabel, cardClass));
  }

  private static boolean softmax(LinearSGDModel model) {
    try {
      return ExpNormalizer.class
          .getName()
          .equals(
              model
                  .serialize()
                  .getSerializedData()
                  .unpack(ClassificationLinearSGDProto.class)
                  .getNormalizer()
                  .getClassName());
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  /** Buffers for one thread's rows, reused from row to row. */
  final class Scratch {
    private final int[] columns = new int[schema.size()];
    private final double[] values = new double[schema.size()];
    private final int[] ids = new int[schema.size()];
    private final double[] input = new double[features + 1];
    private final double[] scores = new double[classLabel.length];
  }

  /** New buffers for one thread. */
  Scratch scratch() {
    return new Scratch();
  }

  /** What {@link #score} answers for a row it leaves to Tribuo. */
  static final int ASK_TRIBUO = -2;

  /** What {@link #score} answers for a row whose class scores overflow. */
  static final int UNSCORABLE = -1;

  /**
   * Scores a validated row (card feature order).
   *
   * @param probabilities receives each card label's probability, in card order
   * @return the predicted class ({@link #label}), {@link #UNSCORABLE} when a probability is not a
   *     finite number, or {@link #ASK_TRIBUO} for a row Tribuo must score itself
   */
  int score(double[] row, Scratch s, double[] probabilities) {
    int k = schema.encode(row, s.columns, s.values);
    double[] values = s.values;
    int[] ids = s.ids;
    for (int a = 0; a < k; a++) {
      int id = featureId[s.columns[a]];
      if (id < 0 || Double.isNaN(values[a])) {
        return ASK_TRIBUO;
      }
      ids[a] = id;
    }
    double[] scores = s.scores;
    if (k == features) {
      // Every feature active: Tribuo's dense vector, summed in feature-id order whatever order
      // the values arrive in, so they go straight to their ids.
      double[] x = s.input;
      for (int a = 0; a < k; a++) {
        x[ids[a]] = values[a];
      }
      x[features] = 1.0;
      for (int i = 0; i < scores.length; i++) {
        double[] w = weights[i];
        double sum = 0.0;
        for (int j = 0; j <= features; j++) {
          sum += w[j] * x[j];
        }
        scores[i] = sum;
      }
    } else {
      // Insertion into feature-id order, as Tribuo's sparse vector holds them.
      for (int a = 1; a < k; a++) {
        int id = ids[a];
        double value = values[a];
        int b = a;
        while (b > 0 && ids[b - 1] > id) {
          ids[b] = ids[b - 1];
          values[b] = values[b - 1];
          b--;
        }
        ids[b] = id;
        values[b] = value;
      }
      for (int i = 0; i < scores.length; i++) {
        double[] w = weights[i];
        double sum = 0.0;
        for (int a = 0; a < k; a++) {
          sum += w[ids[a]] * values[a];
        }
        scores[i] = sum + w[features] * 1.0;
      }
    }
    softmax(scores);
    int predicted = -1;
    double best = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] > best) {
        best = scores[i];
        predicted = i;
      }
    }
    for (int c = 0; c < probabilities.length; c++) {
      double p = cardClass[c] < 0 ? 0.0 : scores[cardClass[c]];
      if (!Double.isFinite(p)) {
        return UNSCORABLE;
      }
      probabilities[c] = p;
    }
    return predicted < 0 ? UNSCORABLE : predicted;
  }

  /** The label of class {@code id}. */
  String label(int id) {
    return classLabel[id];
  }

  /** The position of class {@code id}'s label in the card's order, or -1 when the card lacks it. */
  int cardPosition(int id) {
    return classCard[id];
  }

  /** Whether this JVM's {@code Math.exp(0.0)} is exactly 1 (its specification allows 1 ulp off). */
  private static final boolean EXP_OF_ZERO_IS_ONE = Math.exp(0.0) == 1.0;

  /**
   * Tribuo's {@code ExpNormalizer}, step for step, but for the largest score's {@code exp(0.0)},
   * which is 1 and not worth a call: one {@code exp} fewer per row.
   */
  private static void softmax(double[] scores) {
    double max = -Double.MAX_VALUE;
    for (double score : scores) {
      if (max < score) {
        max = score;
      }
    }
    double sum = 0.0;
    for (int i = 0; i < scores.length; i++) {
      double shifted = scores[i] - max;
      scores[i] = shifted == 0.0 && EXP_OF_ZERO_IS_ONE ? 1.0 : Math.exp(shifted);
      sum += scores[i];
    }
    for (int i = 0; i < scores.length; i++) {
      scores[i] /= sum;
    }
  }
}
