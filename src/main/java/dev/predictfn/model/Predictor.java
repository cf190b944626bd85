package dev.predictfn.model;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.bundle.ModelCard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

/**
 * Scores validated feature rows with a bundle's model.
 *
 * <p>Rows arrive as {@code double[]} in the card's feature order, categories as indices (see {@link
 * InputSchema}); validation (count, finiteness, known categories) has already happened in the API
 * layer. For an all-numeric, unstandardised model the equivalent plain Tribuo code is {@code
 * model.predict(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, featureNames, values))}.
 */
public final class Predictor {
  private final Model<Label> model;
  private final InputSchema schema;
  private final List<String> labels;
  private final Map<String, Integer> labelIndex; // label -> its position in labels
  private final ModelCard card;
  private final LinearExplainer explainer;
  private final LinearScorer linear;

  public Predictor(ModelBundle bundle) {
    this.card = bundle.card();
    this.schema = bundle.schema();
    this.explainer = LinearExplainer.of(bundle, schema).orElse(null);
    this.model = bundle.model();
    this.labels = List.copyOf(bundle.card().labels());
    Map<String, Integer> index = new HashMap<>();
    for (int c = 0; c < labels.size(); c++) {
      index.put(labels.get(c), c);
    }
    this.labelIndex = Map.copyOf(index);
    this.linear = LinearScorer.of(model, schema, labels).orElse(null);
  }

  /** The card of the model this predictor scores with. */
  public ModelCard card() {
    return card;
  }

  /** Feature names in the order rows must use. */
  public List<String> features() {
    return card.features();
  }

  /** What each feature accepts and how rows are encoded. */
  public InputSchema schema() {
    return schema;
  }

  /** The model version. */
  public String version() {
    return card.modelVersion();
  }

  /**
   * Predicts rows in order and explains each predicted label's score.
   *
   * @throws ExplanationUnavailableException when the model is not linear
   */
  public List<PredictionResult> explainAll(List<double[]> rows) {
    if (explainer == null) {
      throw new ExplanationUnavailableException(model.getClass().getSimpleName());
    }
    List<PredictionResult> results = predictAll(rows);
    List<PredictionResult> explained = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      PredictionResult result = results.get(i);
      Explanation explanation = explainer.explain(rows.get(i), result.label());
      if (!explanation.isFinite()) {
        throw new UnscorableRowException(i);
      }
      explained.add(result.explained(explanation));
    }
    return explained;
  }

  /**
   * Predicts one row.
   *
   * @throws UnscorableRowException when the row's class scores overflow
   */
  public PredictionResult predict(double[] row) {
    return scoreAll(List.of(row)).result(0);
  }

  /**
   * Predicts rows in order; the result has one entry per row.
   *
   * @throws UnscorableRowException naming the first row whose class scores overflow
   */
  public List<PredictionResult> predictAll(List<double[]> rows) {
    ScoredRows scored = scoreAll(rows);
    List<PredictionResult> results = new ArrayList<>(scored.size());
    for (int i = 0; i < scored.size(); i++) {
      results.add(scored.result(i));
    }
    return results;
  }

  /**
   * Predicts rows in order, into arrays rather than a result per row (see {@link ScoredRows}).
   *
   * @throws UnscorableRowException naming the first row whose class scores overflow
   */
  public ScoredRows scoreAll(List<double[]> rows) {
    RowScorer scorer = rowScorer();
    ScoredRows scored = new ScoredRows(labels, labelIndex, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      String label = scorer.score(rows.get(i));
      if (label == null) {
        throw new UnscorableRowException(i);
      }
      scored.set(i, label, scorer.position, scorer.probabilities);
    }
    return scored;
  }

  /**
   * A scorer for one thread's rows, one at a time, with buffers it reuses: the batch job's way to
   * score millions of rows without a result object for each.
   */
  public RowScorer rowScorer() {
    return new RowScorer(linear == null ? null : linear.scratch());
  }

  /** Scores rows one at a time for one thread; see {@link Predictor#rowScorer()}. */
  public final class RowScorer {
    private final LinearScorer.Scratch scratch;
    private final double[] probabilities = new double[labels.size()];
    private int position; // the last predicted label's position in labels, or -1

    private RowScorer(LinearScorer.Scratch scratch) {
      this.scratch = scratch;
    }

    /**
     * Scores a validated row.
     *
     * @return the predicted label, each label's probability then in {@link #probabilities()}, or
     *     null when the row's class scores overflow
     */
    public String score(double[] row) {
      if (scratch != null) {
        int predicted = linear.score(row, scratch, probabilities);
        if (predicted >= 0) {
          position = linear.cardPosition(predicted);
          return linear.label(predicted);
        }
        if (predicted == LinearScorer.UNSCORABLE) {
          return null;
        }
      }
      String label = scoreWithTribuo(row);
      position = label == null ? -1 : labelIndex.getOrDefault(label, -1);
      return label;
    }

    /**
     * The probabilities of the last row {@link #score} scored, in card label order; overwritten by
     * the next.
     */
    public double[] probabilities() {
      return probabilities;
    }

    /**
     * Scores {@code row} with Tribuo's own objects, into {@link #probabilities} in card label
     * order. Scores that overflowed (a value near Double.MAX_VALUE times a weight) leave Tribuo's
     * softmax with NaN, which has no JSON form, and Tribuo with no predicted label at all: null.
     */
    private String scoreWithTribuo(double[] row) {
      Prediction<Label> prediction = model.predict(example(row));
      Map<String, Label> scores = prediction.getOutputScores();
      for (int c = 0; c < probabilities.length; c++) {
        Label scored = scores.get(labels.get(c));
        probabilities[c] = scored == null ? 0.0 : scored.getScore();
        if (!Double.isFinite(probabilities[c])) {
          return null;
        }
      }
      Label predicted = prediction.getOutput();
      return predicted == null ? null : predicted.getLabel();
    }
  }

  private Example<Label> example(double[] row) {
    return schema.example(row);
  }
}
