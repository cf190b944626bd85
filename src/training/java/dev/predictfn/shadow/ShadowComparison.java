package dev.predictfn.shadow;

import dev.predictfn.drift.Psi;
import io.micronaut.json.JsonMapper;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The shadow gate: sends the same labelled rows to the serving and the candidate revision, taking
 * turns row by row, and judges the candidate on what came back: quality on each labelled set,
 * agreement with the serving revision, server errors and latency. No traffic is involved; the
 * revisions are any two base URLs.
 */
public final class ShadowComparison {
  private final RevisionClient serving;
  private final RevisionClient candidate;
  private final ShadowGates gates;
  private final JsonMapper json;

  /**
   * @param servingUrl the base URL of the revision that serves now
   * @param candidateUrl the base URL of the new revision
   * @param token an identity token for both (private Cloud Run URLs), or null
   */
  public ShadowComparison(
      String servingUrl, String candidateUrl, String token, ShadowGates gates, JsonMapper json) {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.serving = new RevisionClient("serving", servingUrl, token, http, json);
    this.candidate = new RevisionClient("candidate", candidateUrl, token, http, json);
    this.gates = gates;
    this.json = json;
  }

  /** Compares the two revisions on each file of ROWS; throws when no comparison can be made. */
  public ShadowReport run(List<Path> rows) throws InterruptedException {
    if (rows.isEmpty()) {
      throw new ComparisonException("no labelled rows: name at least one CSV with --rows");
    }
    ServedModel servingModel = serving.model();
    ServedModel candidateModel = candidate.model();
    List<LabelledRows> sets = new ArrayList<>();
    for (Path file : rows) {
      LabelledRows set = LabelledRows.read(file, servingModel, candidateModel, json);
      if (set.size() == 0) {
        throw new ComparisonException(file + " has a header but no rows");
      }
      sets.add(set);
    }
    List<Answer> servingAll = new ArrayList<>();
    List<Answer> candidateAll = new ArrayList<>();
    List<ShadowReport.SetFigures> setFigures = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(gates.concurrency());
    try {
      warmUp(pool, sets.get(0));
      for (LabelledRows set : sets) {
        Answer[][] answers = score(pool, set);
        List<Answer> servingAnswers = Arrays.asList(answers[0]);
        List<Answer> candidateAnswers = Arrays.asList(answers[1]);
        servingAll.addAll(servingAnswers);
        candidateAll.addAll(candidateAnswers);
        setFigures.add(
            new ShadowReport.SetFigures(
                set.name(),
                set.size(),
                ClassificationMetrics.of(
                    servingModel.labels(),
                    set.truths(),
                    servingAnswers,
                    servingModel.positiveLabel()),
                ClassificationMetrics.of(
                    candidateModel.labels(),
                    set.truths(),
                    candidateAnswers,
                    candidateModel.positiveLabel())));
      }
    } finally {
      pool.shutdownNow();
    }
    ShadowReport.RevisionFigures servingFigures =
        ShadowReport.RevisionFigures.of(serving.who(), serving.base(), servingModel, servingAll);
    if (servingFigures.failures() > 0) {
      throw new ComparisonException(
          "the serving revision answered 5xx or nothing to "
              + servingFigures.failures()
              + " of "
              + servingAll.size()
              + " rows (first: "
              + servingFigures.firstProblem()
              + "); it cannot be the baseline: see to it first (RUNBOOK.md, \"Playbook: 5xx\")");
    }
    ShadowReport.RevisionFigures candidateFigures =
        ShadowReport.RevisionFigures.of(
            candidate.who(), candidate.base(), candidateModel, candidateAll);
    ShadowReport.Agreement agreement =
        agreement(servingModel, candidateModel, servingAll, candidateAll);
    return ShadowVerdict.judge(
        servingFigures,
        candidateFigures,
        setFigures,
        agreement,
        newRefusals(servingAll, candidateAll),
        gates);
  }

  /**
   * Sends each revision SHADOW_WARMUP_REQUESTS rows of SET, not measured: a revision without
   * traffic has scaled to zero, and its first answers time a cold start and a cold JIT (the
   * start-up report's business), not the model.
   */
  private void warmUp(ExecutorService pool, LabelledRows set) throws InterruptedException {
    List<Future<?>> pending = new ArrayList<>();
    for (int i = 0; i < gates.warmupRequests(); i++) {
      int row = i % set.size();
      pending.add(
          pool.submit(
              () -> {
                serving.predict(set.servingBodies().get(row));
                candidate.predict(set.candidateBodies().get(row));
              }));
    }
    awaitAll(pending);
  }

  /** Every row of SET to both revisions; [0] the serving answers, [1] the candidate's. */
  private Answer[][] score(ExecutorService pool, LabelledRows set) throws InterruptedException {
    Answer[][] answers = new Answer[2][set.size()];
    List<Future<?>> pending = new ArrayList<>(set.size());
    for (int i = 0; i < set.size(); i++) {
      int row = i;
      pending.add(
          pool.submit(
              () -> {
                // Taking turns: neither revision always gets the warmer connection or JIT.
                if (row % 2 == 0) {
                  answers[0][row] = serving.predict(set.servingBodies().get(row));
                  answers[1][row] = candidate.predict(set.candidateBodies().get(row));
                } else {
                  answers[1][row] = candidate.predict(set.candidateBodies().get(row));
                  answers[0][row] = serving.predict(set.servingBodies().get(row));
                }
              }));
    }
    awaitAll(pending);
    return answers;
  }

  /** Waits for every task; a task's failure is the comparison's (a bug or an interrupt). */
  private static void awaitAll(List<Future<?>> pending) throws InterruptedException {
    for (Future<?> future : pending) {
      try {
        future.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw cause instanceof RuntimeException runtime
            ? runtime
            : new ComparisonException(cause.toString());
      }
    }
  }

  private static int newRefusals(List<Answer> serving, List<Answer> candidate) {
    int refused = 0;
    for (int i = 0; i < serving.size(); i++) {
      int status = candidate.get(i).status();
      if (serving.get(i).ok() && status >= 400 && status < 500) {
        refused++;
      }
    }
    return refused;
  }

  private static ShadowReport.Agreement agreement(
      ServedModel servingModel,
      ServedModel candidateModel,
      List<Answer> serving,
      List<Answer> candidate) {
    Set<String> labels = new LinkedHashSet<>(servingModel.labels());
    labels.addAll(candidateModel.labels());
    List<String> order = List.copyOf(labels);
    long[] servingCounts = new long[order.size()];
    long[] candidateCounts = new long[order.size()];
    int both = 0;
    int same = 0;
    double maxDiff = 0;
    double sumDiff = 0;
    for (int i = 0; i < serving.size(); i++) {
      Answer s = serving.get(i);
      Answer c = candidate.get(i);
      if (!s.ok() || !c.ok()) {
        continue;
      }
      both++;
      if (s.label().equals(c.label())) {
        same++;
      }
      servingCounts[order.indexOf(s.label())]++;
      candidateCounts[order.indexOf(c.label())]++;
      double rowDiff = 0;
      for (String label : order) {
        rowDiff =
            Math.max(
                rowDiff,
                Math.abs(
                    s.probabilities().getOrDefault(label, 0.0)
                        - c.probabilities().getOrDefault(label, 0.0)));
      }
      maxDiff = Math.max(maxDiff, rowDiff);
      sumDiff += rowDiff;
    }
    double[] expected = new double[order.size()];
    for (int i = 0; i < order.size(); i++) {
      expected[i] = both == 0 ? 0 : (double) servingCounts[i] / both;
    }
    return new ShadowReport.Agreement(
        both,
        both == 0 ? Double.NaN : (double) same / both,
        maxDiff,
        both == 0 ? Double.NaN : sumDiff / both,
        Psi.of(expected, candidateCounts),
        servingModel.sha256().equals(candidateModel.sha256()));
  }
}
