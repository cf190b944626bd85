package dev.predictfn.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.release.CloudRunSandbox.Result;
import dev.predictfn.support.Bundles;
import dev.predictfn.support.FlakyProxy;
import dev.predictfn.support.IrisVariants;
import dev.predictfn.support.Json;
import dev.predictfn.support.RequiresCommands;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shadow gate ({@code cloudrun/compare.sh}) against real running instances standing in for
 * revisions: the serving model, candidates that must pass (the same bundle, sound retrainings) and
 * candidates that are healthy but wrong, which pass today's training gates and smoke rows and must
 * fail here with the numbers that stopped them. Each candidate is judged, as in a release, on the
 * released model's comparison set and on its own build's held-out rows.
 */
@RequiresCommands({"bash"})
class ShadowGateTest {
  static final Path RELEASED_ROWS =
      Path.of("src/main/training/reference/iris-sgd.comparison-set.csv");

  @TempDir static Path models;
  private static final List<EmbeddedServer> servers = new ArrayList<>();
  private static EmbeddedServer serving;

  @TempDir Path dir;
  private CloudRunSandbox cloud;

  @BeforeAll
  static void startServing() {
    serving = start(Bundles.copy(models.resolve("serving")));
  }

  @AfterAll
  static void stopAll() {
    servers.forEach(EmbeddedServer::close);
  }

  @BeforeEach
  void sandbox() throws Exception {
    cloud = new CloudRunSandbox(dir);
  }

  static EmbeddedServer start(Path bundle) {
    EmbeddedServer server =
        ApplicationContext.run(
            EmbeddedServer.class,
            Map.of("micronaut.server.port", -1, "predict.model.path", bundle.toString()));
    servers.add(server);
    return server;
  }

  /** A variant of the Iris model trained and serving; its build's rows in DIR/candidate.csv. */
  static Candidate variant(
      String name,
      UnaryOperator<dev.predictfn.training.TrainingSpec> spec,
      UnaryOperator<List<String[]>> data) {
    Path trained = IrisVariants.train(models.resolve(name), "0.2.0", spec, data);
    return new Candidate(
        start(trained.resolve("model")).getURL().toString(), trained.resolve("candidate.csv"));
  }

  record Candidate(String url, Path rows) {}

  private Result compare(String candidateUrl, Path... rows) {
    List<String> args = new ArrayList<>(List.of(serving.getURL().toString(), candidateUrl));
    for (Path file : rows) {
      args.add("--rows");
      args.add(file.toAbsolutePath().toString());
    }
    args.add("--report");
    args.add(dir.resolve("report").toString());
    return cloud.run("compare.sh", args.toArray(String[]::new));
  }

  private JsonNode report() throws Exception {
    return Json.parse(Files.readString(dir.resolve("report/shadow-report.json")));
  }

  private List<String> failedGates() throws Exception {
    List<String> failed = new ArrayList<>();
    JsonNode list = report().get("failed_gates");
    for (int i = 0; i < list.size(); i++) {
      failed.add(list.get(i).getStringValue());
    }
    return failed;
  }

  @Test
  void theSameBundleOnBothRevisionsPassesWithIdenticalAnswers() throws Exception {
    String same = start(Bundles.copy(models.resolve("same"))).getURL().toString();
    Result result = compare(same, RELEASED_ROWS);
    assertEquals(0, result.status(), result.describe());
    assertEquals(List.of(), failedGates());
    JsonNode agreement = report().get("agreement");
    assertEquals(true, agreement.get("same_model").getBooleanValue());
    assertEquals(1.0, agreement.get("same_label").getNumberValue().doubleValue());
    assertEquals(0.0, agreement.get("max_probability_difference").getNumberValue().doubleValue());
    assertTrue(result.out().contains("| same model, same answers | pass |"), result.describe());
    assertTrue(Files.readString(cloud.summary).contains("### Shadow comparison: pass"));
  }

  @Test
  void soundRetrainingsPass() throws Exception {
    for (Candidate candidate :
        List.of(
            variant("seed-2", s -> IrisVariants.withSeed(s, 2), d -> d),
            variant("epochs-30", s -> IrisVariants.withEpochs(s, 30), d -> d))) {
      Result result = compare(candidate.url(), RELEASED_ROWS, candidate.rows());
      assertEquals(0, result.status(), candidate + "\n" + result.describe());
      assertEquals(false, report().get("agreement").get("same_model").getBooleanValue());
    }
  }

  @Test
  void aModelTrainedOnARelabelledSubgroupFailsOnTheReleasedRows() throws Exception {
    Candidate wrong = variant("relabelled", s -> s, IrisVariants::relabelSubgroup);
    Result result = compare(wrong.url(), RELEASED_ROWS, wrong.rows());
    assertEquals(3, result.status(), result.describe());
    List<String> failed = failedGates();
    assertTrue(failed.contains("iris-sgd.comparison-set.csv: accuracy drop"), failed.toString());
    // On its own held-out rows, which share its wrong labels, it looks fine: that is the gap.
    assertTrue(
        failed.stream().noneMatch(g -> g.startsWith("candidate.csv: accuracy")), failed.toString());
    JsonNode released = report().get("sets").get(0);
    double candidate = released.get("candidate").get("accuracy").getNumberValue().doubleValue();
    double servingAccuracy = released.get("serving").get("accuracy").getNumberValue().doubleValue();
    assertTrue(candidate < servingAccuracy - 0.03, candidate + " vs " + servingAccuracy);
    assertTrue(
        result.err().contains("iris-sgd.comparison-set.csv: accuracy drop: candidate 0."),
        result.describe());
  }

  @Test
  void metricsMeasuredThroughHttpOnABuildsOwnRowsAreTheOnesItsCardRecords() throws Exception {
    // Tribuo evaluated this model on these held-out rows at training time; the comparison
    // computes the same metrics from the answers it received, and must arrive at the same figures.
    Candidate candidate = variant("epochs-1", s -> IrisVariants.withEpochs(s, 1), d -> d);
    compare(candidate.url(), candidate.rows());
    JsonNode measured = report().get("sets").get(0).get("candidate");
    JsonNode card =
        Json.parse(Files.readString(models.resolve("epochs-1/model/model-card.json")))
            .get("evaluation");
    for (String metric : List.of("accuracy", "macro_f1", "roc_auc", "pr_auc", "log_loss")) {
      assertEquals(
          card.get(metric).getNumberValue().doubleValue(),
          measured.get(metric).getNumberValue().doubleValue(),
          1e-9,
          metric);
    }
    assertTrue(card.get("accuracy").getNumberValue().doubleValue() < 1.0, "a model with errors");
  }

  @Test
  void aModelWithTwoFeatureColumnsSwappedFails() throws Exception {
    Candidate wrong = variant("swapped", s -> s, IrisVariants::swapColumns);
    Result result = compare(wrong.url(), RELEASED_ROWS, wrong.rows());
    assertEquals(3, result.status(), result.describe());
    List<String> failed = failedGates();
    assertTrue(failed.contains("iris-sgd.comparison-set.csv: accuracy drop"), failed.toString());
    assertTrue(failed.contains("agreement"), failed.toString());
  }

  @Test
  void aModelWithPermutedLabelsFails() throws Exception {
    Candidate wrong = variant("permuted", s -> s, IrisVariants::permuteLabels);
    Result result = compare(wrong.url(), RELEASED_ROWS, wrong.rows());
    assertEquals(3, result.status(), result.describe());
    List<String> failed = failedGates();
    assertTrue(failed.contains("iris-sgd.comparison-set.csv: accuracy drop"), failed.toString());
    assertTrue(failed.contains("iris-sgd.comparison-set.csv: accuracy gate"), failed.toString());
    assertTrue(failed.contains("agreement"), failed.toString());
    assertTrue(
        report().get("agreement").get("label_psi").getNumberValue().doubleValue() >= 0,
        "the PSI of predicted labels is reported");
  }

  @Test
  void aCandidateAnsweringSome5xxFailsEvenWithTheSameModel() throws Exception {
    String same = start(Bundles.copy(models.resolve("same-flaky"))).getURL().toString();
    try (FlakyProxy flaky = new FlakyProxy(same, 10)) {
      Result result = compare(flaky.url(), RELEASED_ROWS);
      assertEquals(3, result.status(), result.describe());
      List<String> failed = failedGates();
      assertTrue(failed.contains("no server errors"), failed.toString());
      assertTrue(result.err().contains("4 of 45 rows answered 5xx"), result.describe());
      // A row without an answer counts as wrong; the rows both answered agree exactly.
      assertTrue(failed.contains("iris-sgd.comparison-set.csv: accuracy drop"), failed.toString());
      assertTrue(!failed.contains("same model, same answers"), failed.toString());
    }
  }

  @Test
  void aServingRevisionThatFailsCannotBeTheBaseline() throws Exception {
    try (FlakyProxy flaky = new FlakyProxy(serving.getURL().toString(), 5)) {
      List<String> args =
          List.of(
              flaky.url(),
              serving.getURL().toString(),
              "--rows",
              RELEASED_ROWS.toAbsolutePath().toString(),
              "--report",
              dir.resolve("report").toString());
      Result result = cloud.run("compare.sh", args.toArray(String[]::new));
      assertEquals(1, result.status(), result.describe());
      assertTrue(result.err().contains("cannot be the baseline"), result.describe());
    }
  }

  @Test
  void anUnreachableCandidateOrUnusableRowsMeanNoComparison() throws Exception {
    Result unreachable = compare("http://127.0.0.1:9", RELEASED_ROWS);
    assertEquals(1, unreachable.status(), unreachable.describe());
    assertTrue(unreachable.err().contains("candidate http://127.0.0.1:9/model: no answer"));

    Path rows = dir.resolve("no-label.csv");
    Files.writeString(rows, "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n");
    Result unlabelled = compare(serving.getURL().toString(), rows);
    assertEquals(1, unlabelled.status(), unlabelled.describe());
    assertTrue(
        unlabelled.err().contains("has no column 'species' (the label column"),
        unlabelled.describe());
  }

  @Test
  void aThresholdIsOverriddenByTheEnvironmentForOneRunButNotTheSpecsMinimums() throws Exception {
    Candidate wrong = variant("relabelled-waived", s -> s, IrisVariants::relabelSubgroup);
    Map<String, String> waive =
        Map.of("SHADOW_MAX_QUALITY_DROP", "0.5", "SHADOW_MIN_AGREEMENT", "0.5");
    List<String> args =
        List.of(
            serving.getURL().toString(),
            wrong.url(),
            "--rows",
            RELEASED_ROWS.toAbsolutePath().toString(),
            "--report",
            dir.resolve("report").toString());
    Result result = cloud.run("compare.sh", waive, args.toArray(String[]::new));
    assertEquals(3, result.status(), result.describe());
    assertEquals(List.of("iris-sgd.comparison-set.csv: accuracy gate"), failedGates());
    assertEquals(
        0.5,
        report().get("thresholds").get("SHADOW_MAX_QUALITY_DROP").getNumberValue().doubleValue());
  }
}
