package dev.predictfn.release;

import static dev.predictfn.release.CloudRunSandbox.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.release.CloudRunSandbox.Result;
import dev.predictfn.release.FakeCloudMonitoring.Sample;
import dev.predictfn.support.Bundles;
import dev.predictfn.support.IrisVariants;
import dev.predictfn.support.Json;
import dev.predictfn.support.RequiresCommands;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The canary steps ({@code cloudrun/canary.sh}) and the whole release ({@code release.sh}: smoke,
 * shadow, canary) against {@link FakeGcloud} and {@link FakeCloudMonitoring}, which answers each
 * revision's request counts, latencies and predicted labels with scripted values: a step that
 * passes, one that breaches, one with no data yet. Every failure leaves all traffic on the revision
 * that served, by name, and the candidate tagged rejected, not deleted.
 */
@RequiresCommands({"bash", "jq", "curl"})
class CanaryStepsTest {
  private static final Map<String, Double> IRIS_LABELS =
      Map.of("setosa", 330.0, "versicolor", 340.0, "virginica", 330.0);
  private static final Sample HEALTHY = Sample.healthy(1000, 40.0, IRIS_LABELS);

  @TempDir static Path models;
  private static EmbeddedServer serving;
  private static EmbeddedServer wrong;
  private static EmbeddedServer retrained;

  @TempDir Path dir;
  private CloudRunSandbox cloud;
  private FakeCloudMonitoring monitoring;
  private String r1;
  private String r2;
  private int setupMoves;

  @BeforeAll
  static void startInstances() {
    serving = start(Bundles.copy(models.resolve("serving")));
    wrong =
        start(
            IrisVariants.train(
                    models.resolve("relabelled"), "0.1.0", s -> s, IrisVariants::relabelSubgroup)
                .resolve("model"));
    retrained =
        start(
            IrisVariants.train(
                    models.resolve("seed-2"), "0.1.0", s -> IrisVariants.withSeed(s, 2), d -> d)
                .resolve("model"));
  }

  private static EmbeddedServer start(Path bundle) {
    return ApplicationContext.run(
        EmbeddedServer.class,
        Map.of("micronaut.server.port", -1, "predict.model.path", bundle.toString()));
  }

  @AfterAll
  static void stopInstances() {
    serving.close();
    wrong.close();
    retrained.close();
  }

  @BeforeEach
  void serviceWithACandidateAtZero() throws Exception {
    cloud = new CloudRunSandbox(dir);
    monitoring = new FakeCloudMonitoring();
    String version =
        Json.parse(Files.readString(models.resolve("serving/model-card.json")))
            .get("model_version")
            .getStringValue();
    cloud.route(image(1), serving.getURL().toString());
    cloud.route(image(2), serving.getURL().toString());
    Result first = cloud.run("release.sh", "--tag", "v" + version, "--image", image(1));
    assertEquals(0, first.status(), first.describe());
    r1 = first.output("revision");
    Result deployed = cloud.run("deploy.sh", "--version", "9.0.0", "--image", image(2));
    assertEquals(0, deployed.status(), deployed.describe());
    r2 = deployed.output("revision");
    assertEquals(Map.of(r1, 100), cloud.traffic());
    setupMoves = cloud.calls("run", "services", "update-traffic").size();
  }

  @AfterEach
  void stopMonitoring() {
    monitoring.close();
  }

  private Map<String, String> env(String steps) {
    Map<String, String> env = new HashMap<>();
    env.put("MONITORING_API", monitoring.url());
    env.put("CANARY_STEPS", steps);
    env.put("CANARY_DWELL_SECONDS", "1");
    env.put("CANARY_POLL_SECONDS", "1");
    env.put("CANARY_NO_DATA_SECONDS", "3");
    return env;
  }

  private Result canary() {
    return cloud.run("canary.sh", env("5,25,100"), "--revision", r2, "--previous", r1);
  }

  /** Steps held long enough for a test to act while the first one holds. */
  private Map<String, String> holding() {
    Map<String, String> env = env("5,25,100");
    env.put("CANARY_DWELL_SECONDS", "60");
    env.put("CANARY_POLL_SECONDS", "1");
    return env;
  }

  private JsonNode report() throws Exception {
    return Json.parse(Files.readString(cloud.releaseDir.resolve("canary-report.json")));
  }

  /** The traffic moves since the set-up, in order, from the fake's call log. */
  private List<String> moves() throws Exception {
    List<List<String>> calls = cloud.calls("run", "services", "update-traffic");
    return calls.subList(setupMoves, calls.size()).stream()
        .flatMap(call -> call.stream().filter(a -> a.startsWith("--to-revisions=")))
        .map(a -> a.substring("--to-revisions=".length()))
        .toList();
  }

  private String tagOf(String revision) throws Exception {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> traffic =
        (List<Map<String, Object>>)
            ((Map<String, Object>) cloud.read().get("service")).get("traffic");
    return traffic.stream()
        .filter(t -> revision.equals(t.get("revisionName")) && t.get("tag") != null)
        .map(t -> (String) t.get("tag"))
        .findFirst()
        .orElse(null);
  }

  @Test
  void healthyStepsPromoteByName() throws Exception {
    monitoring.script(r1, HEALTHY);
    monitoring.script(r2, HEALTHY);
    Result result = canary();
    assertEquals(0, result.status(), result.describe());
    assertEquals(Map.of(r2, 100), cloud.traffic());
    assertEquals(List.of(r2 + "=5," + r1 + "=95", r2 + "=25," + r1 + "=75", r2 + "=100"), moves());
    JsonNode report = report();
    assertEquals("promoted", report.get("outcome").getStringValue());
    assertEquals(2, report.get("steps").size());
    assertEquals("pass", report.get("steps").get(0).get("verdict").getStringValue());
    // Every window was judged from both revisions' own series, after its traffic move.
    List<Map<String, String>> queries = monitoring.queries();
    assertEquals(12, queries.size(), queries.toString());
    assertTrue(
        queries.stream()
            .allMatch(q -> q.get("path").equals("/v3/projects/demo-project/timeSeries")));
    assertTrue(
        queries.stream()
            .anyMatch(
                q ->
                    q.get("filter").contains("predictions_total")
                        && q.get("filter").contains("metric.labels.revision=\"" + r2 + "\"")));
    assertTrue(Files.readString(cloud.summary).contains("### Canary of `" + r2 + "`: promoted"));
  }

  @Test
  void aStepAnsweringTooMany5xxRollsBackAtTheFirstStep() throws Exception {
    monitoring.script(r1, HEALTHY);
    monitoring.script(r2, new Sample(Map.of("2xx", 970L, "5xx", 30L), 40.0, IRIS_LABELS));
    Result result = canary();
    assertEquals(3, result.status(), result.describe());
    assertEquals(Map.of(r1, 100), cloud.traffic());
    assertEquals(List.of(r2 + "=5," + r1 + "=95", r1 + "=100"), moves());
    JsonNode check = report().get("steps").get(0).get("checks").get(0);
    assertEquals("fail", check.get("status").getStringValue());
    assertEquals(
        "30 of 1000 candidate requests answered 5xx: 0.03; at most 0.01"
            + " (the serving revision: 0 of 1000)",
        check.get("detail").getStringValue());
    // Kept for inspection, never a rollback target.
    assertEquals("rejected-v9-0-0", tagOf(r2));
    Result refused = cloud.run("rollback.sh", "--to", r2);
    assertNotEquals(0, refused.status());
    assertTrue(refused.err().contains("no release gate rejected"), refused.describe());
  }

  @Test
  void aSlowSecondStepRollsBackAfterTheFirstPassed() throws Exception {
    monitoring.script(r1, HEALTHY);
    monitoring.script(r2, HEALTHY, Sample.healthy(1000, 900.0, IRIS_LABELS));
    Result result = canary();
    assertEquals(3, result.status(), result.describe());
    assertEquals(Map.of(r1, 100), cloud.traffic());
    assertEquals(List.of(r2 + "=5," + r1 + "=95", r2 + "=25," + r1 + "=75", r1 + "=100"), moves());
    JsonNode steps = report().get("steps");
    assertEquals("pass", steps.get(0).get("verdict").getStringValue());
    assertEquals(
        "candidate 900 ms, serving 40 ms; allowed 250 ms (x1.5, at least 250 ms)",
        steps.get(1).get("checks").get(1).get("detail").getStringValue());
  }

  @Test
  void aCandidatePredictingOtherLabelsRollsBack() throws Exception {
    monitoring.script(r1, HEALTHY);
    monitoring.script(
        r2,
        Sample.healthy(
            1000, 40.0, Map.of("setosa", 330.0, "versicolor", 560.0, "virginica", 110.0)));
    Result result = canary();
    assertEquals(3, result.status(), result.describe());
    assertEquals(Map.of(r1, 100), cloud.traffic());
    String detail =
        report().get("steps").get(0).get("checks").get(2).get("detail").getStringValue();
    assertTrue(detail.startsWith("PSI 0.3515 of the candidate's labels"), detail);
    assertTrue(result.out().contains("| 5% | "), result.describe());
  }

  @Test
  void aStepWithNoDataIsNotAPassAndFailsWhenNoneArrives() throws Exception {
    monitoring.script(r1, HEALTHY);
    monitoring.script(r2, Sample.NO_DATA);
    Result result = canary();
    assertEquals(3, result.status(), result.describe());
    assertEquals(Map.of(r1, 100), cloud.traffic());
    assertTrue(result.err().contains("no data yet"), result.describe());
    JsonNode step = report().get("steps").get(0);
    assertEquals("no_data", step.get("verdict").getStringValue());
    assertTrue(report().get("outcome").getStringValue().contains("no data after"));
  }

  @Test
  void aStepWaitsForDataThatArrivesLate() throws Exception {
    monitoring.script(r1, HEALTHY);
    monitoring.script(r2, Sample.NO_DATA, HEALTHY);
    Result result = canary();
    assertEquals(0, result.status(), result.describe());
    assertEquals(Map.of(r2, 100), cloud.traffic());
    assertTrue(result.err().contains("no data yet"), result.describe());
  }

  @Test
  void aReRunAfterAFailureStartsFromAKnownStateAndPromotes() throws Exception {
    monitoring.script(r1, HEALTHY);
    monitoring.script(r2, new Sample(Map.of("2xx", 900L, "5xx", 100L), 40.0, IRIS_LABELS));
    assertEquals(3, canary().status());
    assertEquals(Map.of(r1, 100), cloud.traffic());

    monitoring.script(r2, HEALTHY);
    Result rerun = canary();
    assertEquals(0, rerun.status(), rerun.describe());
    assertEquals(Map.of(r2, 100), cloud.traffic());
    assertEquals("v9-0-0", tagOf(r2), "promoted: no longer marked rejected");
  }

  @Test
  void aHoldingCanaryIsAbortedOrPromotedByHand() throws Exception {
    monitoring.script(r1, HEALTHY);
    monitoring.script(r2, HEALTHY);
    Map<String, String> slow = holding();
    CompletableFuture<Result> holding =
        CompletableFuture.supplyAsync(
            () -> cloud.run("canary.sh", slow, "--revision", r2, "--previous", r1));
    awaitTraffic(Map.of(r1, 95, r2, 5));
    Result abort = cloud.run("canary.sh", "--abort", "--revision", r2);
    assertEquals(0, abort.status(), abort.describe());
    Result stopped = holding.get(60, TimeUnit.SECONDS);
    assertEquals(3, stopped.status(), stopped.describe());
    assertEquals("aborted by hand at 5%", report().get("outcome").getStringValue());
    assertEquals(Map.of(r1, 100), cloud.traffic());
    assertEquals("rejected-v9-0-0", tagOf(r2));

    CompletableFuture<Result> again =
        CompletableFuture.supplyAsync(
            () -> cloud.run("canary.sh", slow, "--revision", r2, "--previous", r1));
    awaitTraffic(Map.of(r1, 95, r2, 5));
    assertEquals(0, cloud.run("promote.sh", "--revision", r2).status());
    Result promoted = again.get(60, TimeUnit.SECONDS);
    assertEquals(0, promoted.status(), promoted.describe());
    assertEquals("promoted by hand at 5%", report().get("outcome").getStringValue());
  }

  @Test
  void aCancelledJobLeavesNoSplitBehind() throws Exception {
    Map<String, String> slow = holding();
    slow.put("CANARY_POLL_SECONDS", "30");
    // The signal comes while gcloud is still returning from the split Cloud Run has applied.
    slow.put("FAKE_GCLOUD_TRAFFIC_RETURN_MS", "2000");
    Path out = dir.resolve("cancelled.out");
    Path err = dir.resolve("cancelled.err");
    Process job = cloud.start("canary.sh", slow, out, err, "--revision", r2, "--previous", r1);
    try {
      awaitTraffic(Map.of(r1, 95, r2, 5));
      job.destroy(); // SIGTERM, as a cancelled GitHub Actions job gets
      assertTrue(job.waitFor(30, TimeUnit.SECONDS), "the canary ended within the grace period");
    } finally {
      job.destroyForcibly();
    }
    assertEquals(1, job.exitValue(), Files.readString(err));
    assertEquals(Map.of(r1, 100), cloud.traffic());
    assertTrue(
        report().get("outcome").getStringValue().startsWith("stopped by an error at 5%"),
        Files.readString(err));
  }

  private void awaitTraffic(Map<String, Integer> expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!cloud.traffic().equals(expected)) {
      assertTrue(System.nanoTime() < deadline, "traffic never became " + expected);
      Thread.sleep(200);
    }
  }

  @Test
  void stepsAreCheckedBeforeAnythingMoves() throws Exception {
    for (String steps : List.of("5,25", "25,5,100", "0,100", "5,abc,100")) {
      Result result = cloud.run("canary.sh", env(steps), "--revision", r2, "--previous", r1);
      assertNotEquals(0, result.status(), steps);
      assertTrue(result.err().contains("--steps must"), result.describe());
    }
    assertEquals(List.of(), moves(), "nothing moved");
  }

  @Test
  void aReleaseOfADeliberatelyWrongModelNeverGetsPastTheShadowGate() throws Exception {
    cloud.route(image(3), wrong.getURL().toString());
    monitoring.script(r1, HEALTHY);
    Result result =
        cloud.run("release.sh", env("5,25,100"), "--tag", "v0.1.0", "--image", image(3));
    assertNotEquals(0, result.status(), result.describe());
    assertTrue(result.err().contains("failed the shadow gate"), result.describe());
    assertEquals(Map.of(r1, 100), cloud.traffic());
    assertEquals(List.of(), moves(), "no traffic ever moved to it");
    String summary = Files.readString(cloud.summary);
    assertTrue(summary.contains("### Shadow comparison: **FAIL**"), summary);
    assertTrue(summary.contains("accuracy drop**: candidate 0.8"), summary);
    assertTrue(monitoring.queries().isEmpty(), "no canary step was judged");
  }

  @Test
  void aReleaseWhoseFirstCanaryStepBreachesEndsWithAllTrafficOnTheServingRevision()
      throws Exception {
    cloud.route(image(5), retrained.getURL().toString());
    String r5 = revisionOf(5);
    monitoring.script(r1, HEALTHY);
    monitoring.script(r5, new Sample(Map.of("2xx", 950L, "5xx", 50L), 40.0, IRIS_LABELS));
    Result result =
        cloud.run("release.sh", env("5,25,100"), "--tag", "v0.1.0", "--image", image(5));
    assertEquals(1, result.status(), result.describe());
    assertTrue(result.err().contains(r5 + " did not pass its canary steps"), result.describe());
    assertEquals(Map.of(r1, 100), cloud.traffic());
    assertEquals(List.of(r5 + "=5," + r1 + "=95", r1 + "=100"), moves());
    String summary = Files.readString(cloud.summary);
    assertTrue(summary.contains("### Shadow comparison: pass"), summary);
    assertTrue(summary.contains("rolled back at 5%: 5xx share: 50 of 1000"), summary);
  }

  private static String revisionOf(int seed) {
    String digest = image(seed).substring(image(seed).indexOf("@sha256:") + 8);
    return "prediction-function-v0-1-0-" + digest.substring(0, 8);
  }

  @Test
  void aReleaseOfASoundRetrainingPassesShadowAndCanaryAndPromotes() throws Exception {
    cloud.route(image(4), retrained.getURL().toString());
    String r4 = revisionOf(4);
    monitoring.script(r1, HEALTHY);
    monitoring.script(r4, HEALTHY);
    Result result =
        cloud.run("release.sh", env("5,25,100"), "--tag", "v0.1.0", "--image", image(4));
    assertEquals(0, result.status(), result.describe());
    assertEquals(r4, result.output("revision"));
    assertEquals(Map.of(r4, 100), cloud.traffic());
    String summary = Files.readString(cloud.summary);
    assertTrue(summary.contains("### Shadow comparison: pass"), summary);
    assertTrue(summary.contains("### Canary of `" + r4 + "`: promoted"), summary);
  }
}
