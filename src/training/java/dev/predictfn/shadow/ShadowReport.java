package dev.predictfn.shadow;

import java.util.List;
import java.util.Map;

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

  /** The report in Markdown, headed by the verdict and the failed gates. */
  public String markdown() {
    return ShadowReportText.markdown(this);
  }

  /** The report as a JSON-ready map. */
  public Map<String, Object> json() {
    return ShadowReportText.json(this);
  }
}
