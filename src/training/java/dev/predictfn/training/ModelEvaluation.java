package dev.predictfn.training;

import dev.predictfn.bundle.ModelCard;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;

/** The model card's evaluation section: held-out metrics from Tribuo and the spec's gates. */
final class ModelEvaluation {
  private ModelEvaluation() {}

  /**
   * Builds the card's evaluation.
   *
   * @param positiveLabel the class ROC-AUC and PR-AUC are about, or null to average them over every
   *     class, one against the rest
   */
  static ModelCard.Evaluation of(
      LabelEvaluation evaluation,
      List<String> labels,
      String positiveLabel,
      List<TrainingSpec.Gate> gates) {
    Map<String, ModelCard.ClassMetrics> perClass = new LinkedHashMap<>();
    List<List<Integer>> counts = new ArrayList<>();
    for (String truth : labels) {
      Label label = new Label(truth);
      perClass.put(
          truth,
          new ModelCard.ClassMetrics(
              evaluation.precision(label),
              evaluation.recall(label),
              evaluation.f1(label),
              (int) evaluation.getConfusionMatrix().support(label)));
      List<Integer> row = new ArrayList<>();
      for (String predicted : labels) {
        row.add((int) evaluation.getConfusionMatrix().confusion(new Label(predicted), label));
      }
      counts.add(List.copyOf(row));
    }
    double rocAuc;
    double prAuc;
    if (positiveLabel != null) {
      rocAuc = evaluation.AUCROC(new Label(positiveLabel));
      prAuc = evaluation.averagedPrecision(new Label(positiveLabel));
    } else {
      double roc = 0;
      double pr = 0;
      for (String label : labels) {
        roc += evaluation.AUCROC(new Label(label));
        pr += evaluation.averagedPrecision(new Label(label));
      }
      rocAuc = roc / labels.size();
      prAuc = pr / labels.size();
    }
    ModelCard.Evaluation metrics =
        new ModelCard.Evaluation(
            evaluation.accuracy(),
            evaluation.macroAveragedF1(),
            logLoss(evaluation.getPredictions()),
            positiveLabel,
            rocAuc,
            prAuc,
            perClass,
            new ModelCard.ConfusionMatrix(labels, counts),
            List.of());
    List<ModelCard.QualityGate> results = new ArrayList<>(gates.size());
    for (TrainingSpec.Gate gate : gates) {
      double value = metrics.metric(gate.metric());
      results.add(new ModelCard.QualityGate(gate.metric(), gate.min(), value, value >= gate.min()));
    }
    return new ModelCard.Evaluation(
        metrics.accuracy(),
        metrics.macroF1(),
        metrics.logLoss(),
        positiveLabel,
        rocAuc,
        prAuc,
        perClass,
        metrics.confusionMatrix(),
        List.copyOf(results));
  }

  /** Mean of -ln p(true label), with p floored at 1e-15 so one confident miss stays finite. */
  private static double logLoss(List<Prediction<Label>> predictions) {
    double sum = 0;
    for (Prediction<Label> prediction : predictions) {
      String truth = prediction.getExample().getOutput().getLabel();
      Label scored = prediction.getOutputScores().get(truth);
      double p = scored == null ? 0 : scored.getScore();
      sum -= Math.log(Math.max(p, 1e-15));
    }
    return sum / predictions.size();
  }
}
