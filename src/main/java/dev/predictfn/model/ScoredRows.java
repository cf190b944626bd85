package dev.predictfn.model;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The predictions of a batch of rows, kept in arrays: each row's label and its position among the
 * card's labels, and every label's probability, row after row. A protocol that answers thousands of
 * rows with a label or a number each (BigQuery's remote functions) reads them from here, and a
 * {@link PredictionResult} is made only for a row that needs one (a sampled prediction record), so
 * a batch costs a few arrays instead of three objects and an array per row.
 */
public final class ScoredRows {
  private final List<String> labels;
  private final Map<String, Integer> labelIndex;
  private final String[] label;
  private final int[] position;
  private final double[] probabilities; // row i's are at [i * labels.size(), (i + 1) * ...)

  ScoredRows(List<String> labels, Map<String, Integer> labelIndex, int rows) {
    this.labels = labels;
    this.labelIndex = labelIndex;
    this.label = new String[rows];
    this.position = new int[rows];
    this.probabilities = new double[rows * labels.size()];
  }

  /** Sets row {@code i}'s prediction: its label, that label's position, each probability. */
  void set(int i, String predicted, int predictedPosition, double[] rowProbabilities) {
    label[i] = predicted;
    position[i] = predictedPosition;
    System.arraycopy(rowProbabilities, 0, probabilities, i * labels.size(), labels.size());
  }

  /** How many rows were scored. */
  public int size() {
    return label.length;
  }

  /** The card's labels, the order of each row's probabilities. */
  public List<String> labels() {
    return labels;
  }

  /** Row {@code i}'s predicted label. */
  public String label(int i) {
    return label[i];
  }

  /**
   * The position of row {@code i}'s label among {@link #labels()}, or -1 when it is not one of them
   * (a model of another kind may predict a label its card does not list).
   */
  public int labelIndex(int i) {
    return position[i];
  }

  /** The probability of label {@code c} (in {@link #labels()}'s order) for row {@code i}. */
  public double probability(int i, int c) {
    return probabilities[i * labels.size() + c];
  }

  /** Row {@code i}'s prediction as a result of its own, without an id. */
  public PredictionResult result(int i) {
    int from = i * labels.size();
    double[] values = Arrays.copyOfRange(probabilities, from, from + labels.size());
    return new PredictionResult(
        label[i], new LabelProbabilities(labels, labelIndex, values, position[i]));
  }
}
