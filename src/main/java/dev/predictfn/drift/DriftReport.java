package dev.predictfn.drift;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Per-feature drift of some recent inputs against a model card, and whether any feature crossed the
 * thresholds.
 *
 * @param rows rows compared
 * @param features one line per feature
 * @param psiThreshold a feature whose PSI reaches this has drifted
 * @param outOfRangeThreshold a feature whose out-of-range share reaches this has drifted
 */
public record DriftReport(
    long rows, List<FeatureDrift> features, double psiThreshold, double outOfRangeThreshold) {

  /**
   * Drift of one feature.
   *
   * @param name the feature
   * @param kind numeric or categorical
   * @param psi population stability index against the training split
   * @param outOfRange share of values outside the training range, or unseen categories
   */
  public record FeatureDrift(String name, String kind, double psi, double outOfRange) {}

  /** Whether feature {@code f} has drifted. */
  public boolean drifted(FeatureDrift f) {
    return f.psi() >= psiThreshold || f.outOfRange() >= outOfRangeThreshold;
  }

  /** Whether any feature has drifted. */
  public boolean drifted() {
    return features.stream().anyMatch(this::drifted);
  }

  /** Prints the report as a table. */
  public void print(PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%-20s %-12s %8s %13s  %s%n",
        "feature",
        "kind",
        "psi",
        "out of range",
        "status");
    for (FeatureDrift f : features) {
      out.printf(
          Locale.ROOT,
          "%-20s %-12s %8.4f %12.2f%%  %s%n",
          f.name(),
          f.kind(),
          f.psi(),
          100 * f.outOfRange(),
          drifted(f) ? "DRIFT" : f.psi() >= psiThreshold / 2 ? "watch" : "ok");
    }
    out.printf(
        Locale.ROOT,
        "%d rows; drift means psi >= %.2f or out of range >= %.1f%%: %s%n",
        rows,
        psiThreshold,
        100 * outOfRangeThreshold,
        drifted() ? "DRIFT" : "no drift");
  }
}
