package dev.predictfn.training;

import dev.predictfn.bundle.FeatureSchema;
import dev.predictfn.bundle.ModelCard;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The table printed when training ends: data, held-out metrics, gates, classes and features. */
public final class TrainingSummary {
  private TrainingSummary() {}

  public static void print(PrintStream out, ModelCard card, long millis) {
    ModelCard.Evaluation eval = card.evaluation();
    ModelCard.TrainingData data = card.trainingData();
    out.printf(
        Locale.ROOT,
        "trained %s %s on %d rows (%d held out) in %d ms; data %s sha256 %s%n",
        card.modelName(),
        card.modelVersion(),
        data.trainRows(),
        data.testRows(),
        millis,
        data.path(),
        data.sha256().substring(0, 12));
    out.printf(Locale.ROOT, "  %-10s %9s%n", "metric", "held-out");
    for (String metric : new String[] {"accuracy", "macro_f1", "roc_auc", "pr_auc", "log_loss"}) {
      out.printf(Locale.ROOT, "  %-10s %9.4f%n", metric, eval.metric(metric));
    }
    if (eval.positiveLabel() != null) {
      out.printf(Locale.ROOT, "  (roc_auc and pr_auc of label '%s')%n", eval.positiveLabel());
    }
    out.printf(
        Locale.ROOT, "  %-14s %9s %9s %9s %8s%n", "label", "precision", "recall", "f1", "support");
    eval.perClass()
        .forEach(
            (label, m) ->
                out.printf(
                    Locale.ROOT,
                    "  %-14s %9.4f %9.4f %9.4f %8d%n",
                    label,
                    m.precision(),
                    m.recall(),
                    m.f1(),
                    m.support()));
    out.printf(Locale.ROOT, "  %-18s %-12s %s%n", "feature", "kind", "training split");
    for (FeatureSchema f : card.schema()) {
      String stats;
      if (f.isNumeric()) {
        FeatureSchema.NumericStats n = f.numeric();
        stats =
            String.format(
                Locale.ROOT,
                "mean %.4g std %.4g range [%.4g, %.4g] %d bins%s",
                n.mean(),
                n.std(),
                n.min(),
                n.max(),
                n.binFractions().size(),
                Boolean.TRUE.equals(f.standardize()) ? ", standardised" : "");
      } else {
        StringBuilder categories = new StringBuilder();
        for (Map.Entry<String, Long> e : f.categorical().frequencies().entrySet()) {
          categories.append(categories.length() == 0 ? "" : " ").append(e.getKey()).append('=');
          categories.append(e.getValue());
        }
        stats = categories + ", unknown: " + f.unknown();
      }
      out.printf(Locale.ROOT, "  %-18s %-12s %s%n", f.name(), f.kind(), stats);
    }
    for (ModelCard.QualityGate gate : eval.qualityGates()) {
      out.printf(
          Locale.ROOT,
          "  quality gate: %s %.4f >= %.2f %s%n",
          gate.metric(),
          gate.value(),
          gate.minimum(),
          gate.passed() ? "passed" : "FAILED");
    }
  }
}
