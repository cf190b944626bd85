package dev.predictfn.evaluate;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Accuracy, macro-F1 and log loss of labelled predictions, counted one at a time. Macro-F1 averages
 * the F1 of every label that occurs as a truth or a prediction; log loss is the mean of {@code -ln
 * p(true label)}, with p clipped to [1e-15, 1] as scikit-learn and Tribuo's card do. The BigQuery
 * view ({@code cloudrun/online-accuracy.sql}) computes the same three.
 */
final class OnlineMetrics {
  static final double CLIP = 1e-15;

  private long labelled;
  private long correct;
  private double logLossSum;
  private final Map<String, Long> truePositives = new HashMap<>();
  private final Map<String, Long> truths = new HashMap<>();
  private final Map<String, Long> predictions = new HashMap<>();

  /** Counts one prediction whose true label is {@code truth}. */
  void add(String predicted, String truth, Map<String, Double> probabilities) {
    labelled++;
    truths.merge(truth, 1L, Long::sum);
    predictions.merge(predicted, 1L, Long::sum);
    if (predicted.equals(truth)) {
      correct++;
      truePositives.merge(truth, 1L, Long::sum);
    }
    double p = probabilities.getOrDefault(truth, 0.0);
    logLossSum -= Math.log(Math.min(1, Math.max(CLIP, p)));
  }

  long labelled() {
    return labelled;
  }

  double accuracy() {
    return labelled == 0 ? Double.NaN : (double) correct / labelled;
  }

  double logLoss() {
    return labelled == 0 ? Double.NaN : logLossSum / labelled;
  }

  double macroF1() {
    TreeSet<String> labels = new TreeSet<>(truths.keySet());
    labels.addAll(predictions.keySet());
    if (labels.isEmpty()) {
      return Double.NaN;
    }
    double sum = 0;
    for (String label : labels) {
      long tp = truePositives.getOrDefault(label, 0L);
      long denominator = truths.getOrDefault(label, 0L) + predictions.getOrDefault(label, 0L);
      // F1 = 2 tp / (2 tp + fp + fn) = 2 tp / (truths + predictions); 0 when the label never hit.
      sum += denominator == 0 ? 0 : 2.0 * tp / denominator;
    }
    return sum / labels.size();
  }
}
