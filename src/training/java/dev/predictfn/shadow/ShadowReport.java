package dev.predictfn.shadow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the shadow comparison measured and which gates the candidate passed: the figures of both
 * revisions, each labelled set's metrics side by side, their agreement, and one line per gate with
 * the numbers that decided it. Rendered as Markdown (the job summary) and as a JSON map.
 *
 * @param serving the serving revision's figures
 * @param candidate the candidate's figures
 * @param sets each labelled set's metrics, serving and candidate
 * @param agreement how alike the two revisions answered
 * @param gates every gate, in the order judged
 * @param thresholds the thresholds used
 */
public record ShadowReport(
    RevisionFigures serving,
    RevisionFigures candidate,
    List<SetFigures> sets,
    Agreement agreement,
    List<Gate> gates,
    ShadowGates thresholds) {

  /** Two answers closer than this are the same model's (printing doubles loses nothing more). */
  static final double SAME_MODEL_TOLERANCE = 1e-9;

  /**
   * One revision's answers in sum.
   *
   * @param who serving or candidate
   * @param url its base URL
   * @param model what it serves
   * @param rows rows sent
   * @param failures rows answered 5xx or not at all
   * @param clientErrors rows answered 4xx
   * @param firstProblem the first failure or refusal, or null
   * @param p50Ms median latency
   * @param p99Ms 99th percentile latency
   */
  public record RevisionFigures(
      String who,
      String url,
      ServedModel model,
      int rows,
      int failures,
      int clientErrors,
      String firstProblem,
      double p50Ms,
      double p99Ms) {

    static RevisionFigures of(String who, String url, ServedModel model, List<Answer> answers) {
      int failures = 0;
      int clientErrors = 0;
      String first = null;
      long[] nanos = new long[answers.size()];
      for (int i = 0; i < answers.size(); i++) {
        Answer answer = answers.get(i);
        nanos[i] = answer.nanos();
        if (answer.failed()) {
          failures++;
        } else if (answer.status() >= 400) {
          clientErrors++;
        }
        if (!answer.ok() && first == null) {
          first = (answer.status() == 0 ? "no answer" : answer.status()) + ": " + answer.problem();
        }
      }
      java.util.Arrays.sort(nanos);
      return new RevisionFigures(
          who,
          url,
          model,
          answers.size(),
          failures,
          clientErrors,
          first,
          percentile(nanos, 0.50),
          percentile(nanos, 0.99));
    }

    private static double percentile(long[] sorted, double q) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(q * sorted.length) - 1;
      return sorted[Math.max(0, rank)] / 1e6;
    }
  }

  /**
   * One labelled set's metrics for both revisions.
   *
   * @param name the file's name
   * @param rows its rows
   * @param serving the serving revision's metrics on it
   * @param candidate the candidate's
   */
  public record SetFigures(
      String name, int rows, ClassificationMetrics serving, ClassificationMetrics candidate) {}

  /**
   * How alike the two revisions answered, over the rows both answered.
   *
   * @param rows rows both answered
   * @param sameLabel the share given the same label
   * @param maxProbabilityDifference the largest difference of one label's probability on one row
   * @param meanProbabilityDifference the mean over rows of each row's largest difference
   * @param labelPsi PSI of the candidate's predicted-label shares against the serving revision's
   * @param sameModel whether both serve a model with the same SHA-256
   */
  public record Agreement(
      int rows,
      double sameLabel,
      double maxProbabilityDifference,
      double meanProbabilityDifference,
      double labelPsi,
      boolean sameModel) {}

  /**
   * One gate's verdict.
   *
   * @param name what it checks
   * @param passed whether the candidate passed it
   * @param detail the numbers that decided it
   */
  public record Gate(String name, boolean passed, String detail) {}

  /** Whether the candidate passed every gate and may take traffic. */
  public boolean passed() {
    return gates.stream().allMatch(Gate::passed);
  }

  static ShadowReport judge(
      RevisionFigures serving,
      RevisionFigures candidate,
      List<SetFigures> sets,
      Agreement agreement,
      int newRefusals,
      ShadowGates thresholds) {
    List<Gate> gates = new ArrayList<>();
    gates.add(
        new Gate(
            "no server errors",
            candidate.failures() == 0,
            candidate.failures()
                + " of "
                + candidate.rows()
                + " rows answered 5xx or not at all"
                + (candidate.failures() == 0 ? "" : " (first: " + candidate.firstProblem() + ")")));
    gates.add(
        new Gate(
            "no new refusals",
            newRefusals == 0,
            newRefusals
                + " rows the serving revision scored were refused with 4xx"
                + (newRefusals == 0 ? "" : " (first: " + candidate.firstProblem() + ")")));
    double allowed = Math.max(thresholds.maxP99Ratio() * serving.p99Ms(), thresholds.p99FloorMs());
    gates.add(
        new Gate(
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
    for (SetFigures set : sets) {
      double servingAccuracy = set.serving().get("accuracy");
      double candidateAccuracy = set.candidate().get("accuracy");
      betterEverywhere &= candidateAccuracy > servingAccuracy;
      for (String metric : metrics) {
        double s = set.serving().get(metric);
        double c = set.candidate().get(metric);
        if (Double.isNaN(s) || Double.isNaN(c)) {
          gates.add(
              new Gate(
                  set.name() + ": " + metric,
                  true,
                  "not measurable on these rows (one class only); not judged"));
          continue;
        }
        gates.add(
            new Gate(
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
              new Gate(
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
              && agreement.maxProbabilityDifference() <= SAME_MODEL_TOLERANCE;
      gates.add(
          new Gate(
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
          new Gate(
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

  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  /** The report in Markdown, headed by the verdict and the failed gates. */
  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("### Shadow comparison: ").append(passed() ? "pass" : "**FAIL**").append("\n\n");
    List<Gate> failed = gates.stream().filter(g -> !g.passed()).toList();
    if (!failed.isEmpty()) {
      md.append("Failed gates:\n\n");
      for (Gate gate : failed) {
        md.append("- **").append(gate.name()).append("**: ").append(gate.detail()).append('\n');
      }
      md.append('\n');
    }
    md.append("| | serving | candidate |\n|---|---|---|\n");
    row(md, "URL", serving.url(), candidate.url());
    row(md, "model", serving.model().describe(), candidate.model().describe());
    row(md, "rows sent", serving.rows(), candidate.rows());
    row(md, "5xx or no answer", serving.failures(), candidate.failures());
    row(md, "4xx", serving.clientErrors(), candidate.clientErrors());
    row(md, "p50 latency (ms)", format(serving.p50Ms()), format(candidate.p50Ms()));
    row(md, "p99 latency (ms)", format(serving.p99Ms()), format(candidate.p99Ms()));
    for (SetFigures set : sets) {
      md.append("\n**")
          .append(set.name())
          .append("** (")
          .append(set.rows())
          .append(
              " labelled rows)\n\n| metric | serving | candidate | change |\n|---|---|---|---|\n");
      for (String metric : set.serving().values().keySet()) {
        double s = set.serving().get(metric);
        double c = set.candidate().get(metric);
        md.append("| ")
            .append(metric)
            .append(" | ")
            .append(format(s))
            .append(" | ")
            .append(format(c))
            .append(" | ")
            .append(String.format(Locale.ROOT, "%+.4f", c - s))
            .append(" |\n");
      }
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nAgreement over %d rows: same label %.4f, largest probability difference %.4f,"
                + " mean %.4f, PSI of predicted labels %.4f%s.%n%n",
            agreement.rows(),
            agreement.sameLabel(),
            agreement.maxProbabilityDifference(),
            agreement.meanProbabilityDifference(),
            agreement.labelPsi(),
            agreement.sameModel() ? " (the same model on both)" : ""));
    md.append("| gate | result | numbers |\n|---|---|---|\n");
    for (Gate gate : gates) {
      md.append("| ")
          .append(gate.name())
          .append(" | ")
          .append(gate.passed() ? "pass" : "**fail**")
          .append(" | ")
          .append(gate.detail().replace("|", "\\|"))
          .append(" |\n");
    }
    return md.toString();
  }

  /** The report as a JSON-ready map. */
  public Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("passed", passed());
    json.put("failed_gates", gates.stream().filter(g -> !g.passed()).map(Gate::name).toList());
    json.put("serving", revision(serving));
    json.put("candidate", revision(candidate));
    List<Object> setList = new ArrayList<>();
    for (SetFigures set : sets) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", set.name());
      entry.put("rows", set.rows());
      entry.put("serving", finite(set.serving().values()));
      entry.put("candidate", finite(set.candidate().values()));
      setList.add(entry);
    }
    json.put("sets", setList);
    Map<String, Object> agree = new LinkedHashMap<>();
    agree.put("rows", agreement.rows());
    agree.put("same_label", finite(agreement.sameLabel()));
    agree.put("max_probability_difference", finite(agreement.maxProbabilityDifference()));
    agree.put("mean_probability_difference", finite(agreement.meanProbabilityDifference()));
    agree.put("label_psi", finite(agreement.labelPsi()));
    agree.put("same_model", agreement.sameModel());
    json.put("agreement", agree);
    List<Object> gateList = new ArrayList<>();
    for (Gate gate : gates) {
      gateList.add(Map.of("name", gate.name(), "passed", gate.passed(), "detail", gate.detail()));
    }
    json.put("gates", gateList);
    Map<String, Object> used = new LinkedHashMap<>();
    used.put("SHADOW_MAX_QUALITY_DROP", thresholds.maxQualityDrop());
    used.put("SHADOW_MIN_AGREEMENT", thresholds.minAgreement());
    used.put("SHADOW_MAX_P99_RATIO", thresholds.maxP99Ratio());
    used.put("SHADOW_P99_FLOOR_MS", thresholds.p99FloorMs());
    used.put("SHADOW_CONCURRENCY", thresholds.concurrency());
    json.put("thresholds", used);
    return json;
  }

  private static Map<String, Object> revision(RevisionFigures figures) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("url", figures.url());
    json.put("model_name", figures.model().name());
    json.put("model_version", figures.model().version());
    json.put("model_sha256", figures.model().sha256());
    json.put("rows", figures.rows());
    json.put("server_errors", figures.failures());
    json.put("client_errors", figures.clientErrors());
    json.put("p50_ms", finite(figures.p50Ms()));
    json.put("p99_ms", finite(figures.p99Ms()));
    return json;
  }

  private static Map<String, Object> finite(Map<String, Double> values) {
    Map<String, Object> json = new LinkedHashMap<>();
    values.forEach((k, v) -> json.put(k, finite(v)));
    return json;
  }

  /** JSON has no NaN: an unmeasurable figure is null. */
  private static Object finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  private static String format(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
  }

  private static void row(StringBuilder md, String name, Object serving, Object candidate) {
    md.append("| ")
        .append(name)
        .append(" | ")
        .append(serving)
        .append(" | ")
        .append(candidate)
        .append(" |\n");
  }
}
