package dev.predictfn.shadow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The held-out metrics of the model card, computed from answers received over HTTP instead of from
 * a Tribuo model: accuracy, macro F1, ROC-AUC and PR-AUC (average precision) of the positive label
 * or averaged one-vs-rest, and log loss. A row a revision did not answer counts as wrong, with
 * probability 0 for every label. {@code ClassificationMetricsTest} holds them equal to Tribuo's
 * {@code LabelEvaluation} on the same predictions.
 *
 * @param rows how many rows were scored
 * @param values metric name to value, in the card's names ({@code accuracy}, {@code macro_f1},
 *     {@code roc_auc}, {@code pr_auc}, {@code log_loss})
 */
public record ClassificationMetrics(int rows, Map<String, Double> values) {
  private static final double LOG_LOSS_FLOOR = 1e-15;

  public double get(String metric) {
    Double value = values.get(metric);
    if (value == null) {
      throw new IllegalArgumentException("no metric " + metric + "; known: " + values.keySet());
    }
    return value;
  }

  /**
   * Computes the metrics of ANSWERS against TRUTHS over LABELS (the model's).
   *
   * @param positiveLabel the class ROC-AUC and PR-AUC are about, or null to average them over every
   *     label that occurs and is missing in the truths
   */
  static ClassificationMetrics of(
      List<String> labels, List<String> truths, List<Answer> answers, String positiveLabel) {
    int n = truths.size();
    int correct = 0;
    double logLoss = 0;
    for (int i = 0; i < n; i++) {
      Answer answer = answers.get(i);
      if (answer.ok() && answer.label().equals(truths.get(i))) {
        correct++;
      }
      double p = answer.probabilities().getOrDefault(truths.get(i), 0.0);
      logLoss -= Math.log(Math.max(p, LOG_LOSS_FLOOR));
    }
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("accuracy", n == 0 ? Double.NaN : (double) correct / n);
    values.put("macro_f1", macroF1(labels, truths, answers));
    if (positiveLabel != null) {
      values.put("roc_auc", rocAuc(positiveLabel, truths, answers));
      values.put("pr_auc", averagePrecision(positiveLabel, truths, answers));
    } else {
      double roc = 0;
      double pr = 0;
      int averaged = 0;
      for (String label : labels) {
        if (truths.contains(label) && truths.stream().anyMatch(t -> !t.equals(label))) {
          roc += rocAuc(label, truths, answers);
          pr += averagePrecision(label, truths, answers);
          averaged++;
        }
      }
      values.put("roc_auc", averaged == 0 ? Double.NaN : roc / averaged);
      values.put("pr_auc", averaged == 0 ? Double.NaN : pr / averaged);
    }
    values.put("log_loss", n == 0 ? Double.NaN : logLoss / n);
    return new ClassificationMetrics(n, values);
  }

  /** The unweighted mean of each label's F1; a label never predicted nor true counts 0. */
  private static double macroF1(List<String> labels, List<String> truths, List<Answer> answers) {
    double sum = 0;
    for (String label : labels) {
      int tp = 0;
      int fp = 0;
      int fn = 0;
      for (int i = 0; i < truths.size(); i++) {
        boolean truth = truths.get(i).equals(label);
        boolean predicted = answers.get(i).ok() && label.equals(answers.get(i).label());
        if (truth && predicted) {
          tp++;
        } else if (predicted) {
          fp++;
        } else if (truth) {
          fn++;
        }
      }
      sum += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
    return labels.isEmpty() ? Double.NaN : sum / labels.size();
  }

  /** Scores of LABEL, highest first, each with whether it is the row's true label. */
  private static List<double[]> ranked(String label, List<String> truths, List<Answer> answers) {
    List<double[]> ranked = new ArrayList<>(truths.size());
    for (int i = 0; i < truths.size(); i++) {
      ranked.add(
          new double[] {
            answers.get(i).probabilities().getOrDefault(label, 0.0),
            truths.get(i).equals(label) ? 1 : 0
          });
    }
    ranked.sort(Comparator.comparingDouble((double[] r) -> r[0]).reversed());
    return ranked;
  }

  /** The area under the ROC curve, trapezoids between the distinct thresholds (ties together). */
  static double rocAuc(String label, List<String> truths, List<Answer> answers) {
    List<double[]> ranked = ranked(label, truths, answers);
    double positives = ranked.stream().filter(r -> r[1] == 1).count();
    double negatives = ranked.size() - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    double area = 0;
    double tp = 0;
    double fp = 0;
    double lastTpr = 0;
    double lastFpr = 0;
    for (int i = 0; i < ranked.size(); i++) {
      tp += ranked.get(i)[1];
      fp += 1 - ranked.get(i)[1];
      if (i + 1 < ranked.size() && ranked.get(i + 1)[0] == ranked.get(i)[0]) {
        continue;
      }
      double tpr = tp / positives;
      double fpr = fp / negatives;
      area += (fpr - lastFpr) * (tpr + lastTpr) / 2;
      lastTpr = tpr;
      lastFpr = fpr;
    }
    return area;
  }

  /** Average precision: the precision at each distinct threshold, weighted by the recall gained. */
  static double averagePrecision(String label, List<String> truths, List<Answer> answers) {
    List<double[]> ranked = ranked(label, truths, answers);
    double positives = ranked.stream().filter(r -> r[1] == 1).count();
    if (positives == 0) {
      return Double.NaN;
    }
    double ap = 0;
    double tp = 0;
    double lastRecall = 0;
    for (int i = 0; i < ranked.size(); i++) {
      tp += ranked.get(i)[1];
      if (i + 1 < ranked.size() && ranked.get(i + 1)[0] == ranked.get(i)[0]) {
        continue;
      }
      double recall = tp / positives;
      ap += (recall - lastRecall) * (tp / (i + 1));
      lastRecall = recall;
    }
    return ap;
  }
}
