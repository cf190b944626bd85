package dev.predictfn.shadow;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Judges the candidate from the comparison's figures: one {@link ShadowReport.Gate} per check. */
final class ShadowVerdict {
  private ShadowVerdict() {}

  static ShadowReport judge(
      ShadowReport.RevisionFigures serving,
      ShadowReport.RevisionFigures candidate,
      List<ShadowReport.SetFigures> sets,
      ShadowReport.Agreement agreement,
      int newRefusals,
      ShadowGates thresholds) {
    List<ShadowReport.Gate> gates = new ArrayList<>();
    gates.add(
        new ShadowReport.Gate(
            "no server errors",
            candidate.failures() == 0,
            candidate.failures()
                + " of "
                + candidate.rows()
                + " rows answered 5xx or not at all"
                + (candidate.failures() == 0 ? "" : " (first: " + candidate.firstProblem() + ")")));
    gates.add(
        new ShadowReport.Gate(
            "no new refusals",
            newRefusals == 0,
            newRefusals
                + " rows the serving revision scored were refused with 4xx"
                + (newRefusals == 0 ? "" : " (first: " + candidate.firstProblem() + ")")));
    double allowed = Math.max(thresholds.maxP99Ratio() * serving.p99Ms(), thresholds.p99FloorMs());
    gates.add(
        new ShadowReport.Gate(
            "p99 latency",
            candidate.p99Ms() <= allowed,
            String.format(
                Locale.ROOT,
                "%.1f ms against the serving revision's %.1f ms; allowed %.1f ms (x%s, at least"
                    + " %s ms)",
                candidate.p99Ms(),
                serving.p99Ms(),
                allowed,
                number(thresholds.maxP99Ratio()),
                number(thresholds.p99FloorMs()))));
    Set<String> metrics = new LinkedHashSet<>();
    metrics.add("accuracy");
    metrics.addAll(candidate.model().gates().keySet());
    boolean betterEverywhere = true;
    for (ShadowReport.SetFigures set : sets) {
      double servingAccuracy = set.serving().get("accuracy");
      double candidateAccuracy = set.candidate().get("accuracy");
      betterEverywhere &= candidateAccuracy > servingAccuracy;
      for (String metric : metrics) {
        double s = set.serving().get(metric);
        double c = set.candidate().get(metric);
        if (Double.isNaN(s) || Double.isNaN(c)) {
          gates.add(
              new ShadowReport.Gate(
                  set.name() + ": " + metric,
                  true,
                  "not measurable on these rows (one class only); not judged"));
          continue;
        }
        gates.add(
            new ShadowReport.Gate(
                set.name() + ": " + metric + " drop",
                c >= s - thresholds.maxQualityDrop(),
                String.format(
                    Locale.ROOT,
                    "candidate %.4f, serving %.4f: change %+.4f; allowed drop %s",
                    c,
                    s,
                    c - s,
                    number(thresholds.maxQualityDrop()))));
        Double minimum = candidate.model().gates().get(metric);
        if (minimum != null) {
          gates.add(
              new ShadowReport.Gate(
                  set.name() + ": " + metric + " gate",
                  c >= minimum,
                  String.format(
                      Locale.ROOT, "candidate %.4f; the spec's minimum %.4f", c, minimum)));
        }
      }
    }
    if (agreement.sameModel()) {
      boolean identical =
          agreement.sameLabel() == 1.0
              && agreement.maxProbabilityDifference() <= ShadowReport.SAME_MODEL_TOLERANCE;
      gates.add(
          new ShadowReport.Gate(
              "same model, same answers",
              identical,
              String.format(
                  Locale.ROOT,
                  "both serve model %s: labels agree on %.4f of %d rows, largest probability"
                      + " difference %.3g",
                  candidate.model().sha256().substring(0, 12),
                  agreement.sameLabel(),
                  agreement.rows(),
                  agreement.maxProbabilityDifference())));
    } else {
      boolean agrees = agreement.sameLabel() >= thresholds.minAgreement();
      gates.add(
          new ShadowReport.Gate(
              "agreement",
              agrees || betterEverywhere,
              String.format(
                      Locale.ROOT,
                      "labels agree on %.4f of %d rows; at least %s needed",
                      agreement.sameLabel(),
                      agreement.rows(),
                      number(thresholds.minAgreement()))
                  + (agrees
                      ? ""
                      : betterEverywhere
                          ? ", waived: the candidate's accuracy is higher on every labelled set"
                          : " unless the candidate's accuracy is higher on every labelled set,"
                              + " which it is not")));
    }
    return new ShadowReport(serving, candidate, sets, agreement, gates, thresholds);
  }

  static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
