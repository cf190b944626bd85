package dev.predictfn.shadow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link ShadowReport}: Markdown for the job summary, a map for its JSON file. */
final class ShadowReportText {
  private ShadowReportText() {}

  /** The report in Markdown, headed by the verdict and the failed gates. */
  static String markdown(ShadowReport report) {
    StringBuilder md = new StringBuilder();
    md.append("### Shadow comparison: ")
        .append(report.passed() ? "pass" : "**FAIL**")
        .append("\n\n");
    List<ShadowReport.Gate> failed = report.gates().stream().filter(g -> !g.passed()).toList();
    if (!failed.isEmpty()) {
      md.append("Failed gates:\n\n");
      for (ShadowReport.Gate gate : failed) {
        md.append("- **").append(gate.name()).append("**: ").append(gate.detail()).append('\n');
      }
      md.append('\n');
    }
    md.append("| | serving | candidate |\n|---|---|---|\n");
    row(md, "URL", report.serving().url(), report.candidate().url());
    row(md, "model", report.serving().model().describe(), report.candidate().model().describe());
    row(md, "rows sent", report.serving().rows(), report.candidate().rows());
    row(md, "5xx or no answer", report.serving().failures(), report.candidate().failures());
    row(md, "4xx", report.serving().clientErrors(), report.candidate().clientErrors());
    row(
        md,
        "p50 latency (ms)",
        format(report.serving().p50Ms()),
        format(report.candidate().p50Ms()));
    row(
        md,
        "p99 latency (ms)",
        format(report.serving().p99Ms()),
        format(report.candidate().p99Ms()));
    for (ShadowReport.SetFigures set : report.sets()) {
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
            report.agreement().rows(),
            report.agreement().sameLabel(),
            report.agreement().maxProbabilityDifference(),
            report.agreement().meanProbabilityDifference(),
            report.agreement().labelPsi(),
            report.agreement().sameModel() ? " (the same model on both)" : ""));
    md.append("| gate | result | numbers |\n|---|---|---|\n");
    for (ShadowReport.Gate gate : report.gates()) {
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
  static Map<String, Object> json(ShadowReport report) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("passed", report.passed());
    json.put(
        "failed_gates",
        report.gates().stream().filter(g -> !g.passed()).map(ShadowReport.Gate::name).toList());
    json.put("serving", revision(report.serving()));
    json.put("candidate", revision(report.candidate()));
    List<Object> setList = new ArrayList<>();
    for (ShadowReport.SetFigures set : report.sets()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", set.name());
      entry.put("rows", set.rows());
      entry.put("serving", finite(set.serving().values()));
      entry.put("candidate", finite(set.candidate().values()));
      setList.add(entry);
    }
    json.put("sets", setList);
    Map<String, Object> agree = new LinkedHashMap<>();
    agree.put("rows", report.agreement().rows());
    agree.put("same_label", finite(report.agreement().sameLabel()));
    agree.put("max_probability_difference", finite(report.agreement().maxProbabilityDifference()));
    agree.put(
        "mean_probability_difference", finite(report.agreement().meanProbabilityDifference()));
    agree.put("label_psi", finite(report.agreement().labelPsi()));
    agree.put("same_model", report.agreement().sameModel());
    json.put("agreement", agree);
    List<Object> gateList = new ArrayList<>();
    for (ShadowReport.Gate gate : report.gates()) {
      gateList.add(Map.of("name", gate.name(), "passed", gate.passed(), "detail", gate.detail()));
    }
    json.put("gates", gateList);
    Map<String, Object> used = new LinkedHashMap<>();
    used.put("SHADOW_MAX_QUALITY_DROP", report.thresholds().maxQualityDrop());
    used.put("SHADOW_MIN_AGREEMENT", report.thresholds().minAgreement());
    used.put("SHADOW_MAX_P99_RATIO", report.thresholds().maxP99Ratio());
    used.put("SHADOW_P99_FLOOR_MS", report.thresholds().p99FloorMs());
    used.put("SHADOW_CONCURRENCY", report.thresholds().concurrency());
    used.put("SHADOW_WARMUP_REQUESTS", report.thresholds().warmupRequests());
    json.put("thresholds", used);
    return json;
  }

  private static Map<String, Object> revision(ShadowReport.RevisionFigures figures) {
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
