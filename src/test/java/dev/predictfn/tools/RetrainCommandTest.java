package dev.predictfn.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.bundle.BundleLocation;
import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.bundle.ModelBundleReader;
import dev.predictfn.bundle.ModelCard;
import dev.predictfn.bundle.ModelCardJson;
import dev.predictfn.bundle.Sha256;
import dev.predictfn.retrain.RunManifest;
import dev.predictfn.training.TrainingFixtures;
import io.micronaut.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One retraining run, as the job image runs it: data by URI through bucket mounts (a directory
 * stands in for each bucket), the run directory it writes, its exit codes, and adopting its
 * candidate into a release build.
 */
class RetrainCommandTest {
  private static final Path IRIS = Path.of("src/main/training/data/iris/v1.csv");
  private static final Map<String, String> JOB =
      Map.of(
          "CLOUD_RUN_JOB", "prediction-function-retrain", "CLOUD_RUN_EXECUTION", "retrain-x7k2p");
  private static final JsonMapper JSON = JsonMapper.createDefault();

  @TempDir Path dir;
  private Path data;
  private Path candidates;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void buckets() throws Exception {
    data = Files.createDirectories(dir.resolve("data-bucket"));
    candidates = Files.createDirectories(dir.resolve("candidates-bucket"));
  }

  private int retrain(Path spec, String dataUri, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--spec",
                spec.toString(),
                "--data",
                dataUri,
                "--candidates",
                "gs://candidates/iris",
                "--data-mount",
                data.toString(),
                "--candidates-mount",
                candidates.toString()));
    args.addAll(List.of(more));
    return ToolRun.run(out, err, JOB, "retrain", args.toArray(String[]::new));
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }

  private Path run(String id) {
    return candidates.resolve("iris").resolve(id);
  }

  private static RunManifest manifest(Path run) throws Exception {
    return JSON.readValue(Files.readAllBytes(run.resolve("run.json")), RunManifest.class);
  }

  /** Iris's rows as a BigQuery export writes them: shards that each repeat the header. */
  private void shards(List<String> lines, int perShard) throws Exception {
    Path folder = Files.createDirectories(data.resolve("export"));
    for (int start = 1, shard = 0; start < lines.size(); start += perShard, shard++) {
      List<String> part = new ArrayList<>(List.of(lines.get(0)));
      part.addAll(lines.subList(start, Math.min(lines.size(), start + perShard)));
      Files.write(folder.resolve(String.format("part-%012d.csv", shard)), part);
    }
  }

  /** The iris spec with its paths made absolute and its training gate and tolerance replaced. */
  private Path spec(double minimum, double tolerance) throws Exception {
    Path reference = TrainingFixtures.IRIS_SPEC.toAbsolutePath().getParent().resolve("reference");
    String spec =
        Files.readString(TrainingFixtures.IRIS_SPEC)
            .replace("\"min\": 0.93", "\"min\": " + minimum)
            .replace("\"tolerance\": 0.02", "\"tolerance\": " + tolerance)
            .replace("\"reference/", "\"" + reference + "/");
    Path file = dir.resolve("iris.spec.json");
    Files.writeString(file, spec);
    return file;
  }

  /** Iris with a third of the versicolor rows relabelled virginica, as relabelled.csv. */
  private void relabelled() throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(IRIS));
    int versicolor = 0;
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).endsWith(",versicolor") && versicolor++ % 3 == 0) {
        lines.set(i, lines.get(i).replace(",versicolor", ",virginica"));
      }
    }
    Files.write(data.resolve("relabelled.csv"), lines);
  }

  @Test
  void trainsOnABigQueryExportsShardsAndWritesACandidateWithItsLineage() throws Exception {
    List<String> lines = Files.readAllLines(IRIS);
    shards(lines, 40);

    int code = retrain(TrainingFixtures.IRIS_SPEC, "gs://labelled/export/part-*.csv");

    assertEquals(0, code, printed());
    Path run = run("retrain-x7k2p");
    RunManifest manifest = manifest(run);
    assertEquals(RunManifest.CANDIDATE, manifest.outcome());
    assertEquals(new RunManifest.Tools(0, 0, 0), manifest.tools());
    assertEquals("gs://candidates/iris/retrain-x7k2p/", manifest.candidate());
    // The shards joined under one header are the original file, byte for byte.
    assertEquals(Sha256.hex(Files.readAllBytes(IRIS)), manifest.data().sha256());
    assertEquals(4, manifest.data().shards().size());
    assertEquals(Sha256.hex(Files.readAllBytes(TrainingFixtures.IRIS_SPEC)), manifest.specSha256());
    assertTrue(
        Files.readString(run.resolve("data.sha256"))
            .startsWith(manifest.data().sha256() + "  gs://labelled/export/part-*.csv\n"));

    ModelBundle bundle =
        new ModelBundleReader(new ModelCardJson())
            .read(BundleLocation.directory(run.resolve("bundle")), List.of());
    ModelCard card = bundle.card();
    assertEquals(manifest.modelSha256(), card.modelSha256());
    assertEquals("candidate-retrain-x7k2p", card.modelVersion());
    assertEquals("gs://labelled/export/part-*.csv", card.trainingData().path());
    assertEquals(
        new ModelCard.Lineage(
            "iris.spec.json",
            manifest.specSha256(),
            "prediction-function-retrain",
            "retrain-x7k2p",
            "gs://candidates/iris/retrain-x7k2p/"),
        card.lineage());
    assertTrue(Files.readString(run.resolve("gate.md")).contains("Result: pass."));
    assertTrue(Files.readString(run.resolve("drift.txt")).contains("no drift"));
    assertTrue(Files.isRegularFile(run.resolve("comparison/candidate.csv")));
    assertTrue(Files.isRegularFile(run.resolve("comparison/released.csv")));
    assertTrue(printed().contains("candidate sha256 " + card.modelSha256()), printed());
  }

  @Test
  void aCandidateThatFailsTheReferenceGateWritesItsReportsButNoBundle() throws Exception {
    // A third of the versicolor rows relabelled virginica: held-out accuracy falls below the
    // released model's by more than the tolerance, though above the (lowered) training gate.
    relabelled();

    int code = retrain(spec(0.5, 0.02), "gs://labelled/relabelled.csv", "--run-id", "weekly-1");

    assertEquals(3, code, printed());
    Path run = run("weekly-1");
    RunManifest manifest = manifest(run);
    assertEquals(RunManifest.GATE_FAILED, manifest.outcome());
    assertEquals(new RunManifest.Tools(0, 3, 0), manifest.tools());
    assertEquals("the reference gate failed (gate.md)", manifest.message());
    assertNull(manifest.bundle());
    assertFalse(Files.exists(run.resolve("bundle")), "no bundle");
    assertFalse(Files.exists(run.resolve("comparison")), "no comparison sets");
    assertTrue(Files.readString(run.resolve("gate.md")).contains("Result: **regressed**"));
    assertTrue(Files.isRegularFile(run.resolve("model-card.json")));
  }

  @Test
  void aFailedTrainingGateEndsWithExit3BeforeTheReferenceGate() throws Exception {
    relabelled();

    int code = retrain(spec(0.99, 0.02), "gs://labelled/relabelled.csv", "--run-id", "strict");

    assertEquals(3, code, printed());
    RunManifest manifest = manifest(run("strict"));
    assertEquals(new RunManifest.Tools(3, null, 0), manifest.tools());
    assertFalse(Files.exists(run("strict").resolve("gate.md")));
    assertFalse(Files.exists(run("strict").resolve("bundle")));
    assertTrue(printed().contains("quality gate failed: held-out accuracy"), printed());
  }

  @Test
  void badDataEndsWithExit1AndARunThatSaysWhereWithNoModel() throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(IRIS));
    lines.set(7, "4.6,three,1.4,0.3,setosa");
    Files.write(data.resolve("bad.csv"), lines);

    int code = retrain(TrainingFixtures.IRIS_SPEC, "gs://labelled/bad.csv", "--run-id", "bad");

    assertEquals(1, code, printed());
    RunManifest manifest = manifest(run("bad"));
    assertEquals(RunManifest.ERROR, manifest.outcome());
    assertTrue(manifest.message().contains("line 8"), manifest.message());
    assertTrue(manifest.message().contains("three"), manifest.message());
    assertNull(manifest.modelSha256());
    assertNotNull(manifest.data(), "the data's sha256 is still recorded");
    assertFalse(Files.exists(run("bad").resolve("model-card.json")));
    assertFalse(Files.exists(run("bad").resolve("bundle")));
  }

  @Test
  void aFailureAfterTheBundleWasStagedEndsWithExit1AndPublishesNoBundle() throws Exception {
    Files.copy(IRIS, data.resolve("iris.csv"));
    Path spec = spec(0.9, 0.02);
    // The released rows the spec names are missing: found only after the bundle was staged.
    Files.writeString(
        spec, Files.readString(spec).replace("iris-sgd.comparison-set.csv", "missing.csv"));

    int code = retrain(spec, "gs://labelled/iris.csv", "--run-id", "late");

    assertEquals(1, code, printed());
    RunManifest manifest = manifest(run("late"));
    assertEquals(RunManifest.ERROR, manifest.outcome());
    assertTrue(manifest.message().contains("reference.comparison_set"), manifest.message());
    assertNull(manifest.bundle());
    assertFalse(Files.exists(run("late").resolve("bundle")), "no bundle");
    assertFalse(Files.exists(run("late").resolve("comparison")), "no comparison sets");
  }

  @Test
  void dataThatDriftedFromTheServingCardStillGivesACandidateAndExit2() throws Exception {
    // Every petal a little longer: the classes stay apart, but not where the serving card saw them.
    List<String> lines = new ArrayList<>(Files.readAllLines(IRIS));
    for (int i = 1; i < lines.size(); i++) {
      String[] cells = lines.get(i).split(",");
      cells[2] = String.valueOf(Double.parseDouble(cells[2]) * 1.5);
      lines.set(i, String.join(",", cells));
    }
    Files.write(data.resolve("longer.csv"), lines);

    int code = retrain(spec(0.9, 0.1), "gs://labelled/longer.csv", "--run-id", "drifted");

    assertEquals(2, code, printed());
    RunManifest manifest = manifest(run("drifted"));
    assertEquals(RunManifest.CANDIDATE, manifest.outcome());
    assertEquals(2, manifest.tools().drift());
    assertTrue(Files.isRegularFile(run("drifted").resolve("bundle/model.tribuo")));
    assertTrue(Files.readString(run("drifted").resolve("drift.txt")).contains("DRIFT"));
  }

  @Test
  void shardsWithDifferentHeadersAnUnmountedBucketAndAReusedRunIdAreRefused() throws Exception {
    Path folder = Files.createDirectories(data.resolve("mixed"));
    Files.writeString(folder.resolve("a.csv"), "sepal_length,species\n1,setosa\n");
    Files.writeString(folder.resolve("b.csv"), "species,sepal_length\nsetosa,1\n");
    assertEquals(1, retrain(TrainingFixtures.IRIS_SPEC, "gs://labelled/mixed/*.csv"));
    assertTrue(
        manifest(run("retrain-x7k2p"))
            .message()
            .contains("every shard must have the same columns"));

    // Without --data-mount, the data's bucket is not mounted.
    int unmounted =
        ToolRun.run(
            out,
            err,
            JOB,
            "retrain",
            "--spec",
            TrainingFixtures.IRIS_SPEC.toString(),
            "--data",
            "gs://other/iris.csv",
            "--candidates",
            "gs://candidates/iris",
            "--candidates-mount",
            candidates.toString(),
            "--run-id",
            "u");
    assertEquals(1, unmounted);
    assertTrue(manifest(run("u")).message().contains("bucket other is not mounted"));

    out.reset();
    err.reset();
    assertEquals(1, retrain(TrainingFixtures.IRIS_SPEC, "gs://labelled/x.csv", "--run-id", "u"));
    assertTrue(printed().contains("already holds a finished run"), printed());
  }

  @Test
  void adoptVerifiesTheCandidateAndGivesItTheReleasesVersion() throws Exception {
    Files.copy(IRIS, data.resolve("iris.csv"));
    assertEquals(
        0, retrain(TrainingFixtures.IRIS_SPEC, "gs://labelled/iris.csv", "--run-id", "c1"));
    Path run = run("c1");
    String sha = manifest(run).modelSha256();
    Path output = dir.resolve("release/model");

    assertEquals(
        1,
        adopt(run, sha.replace(sha.charAt(0), sha.charAt(0) == 'a' ? 'b' : 'a'), output),
        "another sha256 is refused");
    assertTrue(printed().contains("not the "), printed());
    assertFalse(Files.exists(output));

    out.reset();
    assertEquals(0, adopt(run, sha.toUpperCase(java.util.Locale.ROOT), output), printed());
    ModelCard adopted =
        new ModelCardJson().read(Files.readAllBytes(output.resolve("model-card.json")));
    ModelCard candidate =
        new ModelCardJson().read(Files.readAllBytes(run.resolve("bundle/model-card.json")));
    assertEquals("1.4.0", adopted.modelVersion());
    assertEquals(candidate.withIdentity("1.4.0", candidate.lineage()), adopted);
    assertArrayEquals(
        Files.readAllBytes(run.resolve("bundle/model.tribuo")),
        Files.readAllBytes(output.resolve("model.tribuo")));
    assertArrayEquals(
        Files.readAllBytes(run.resolve("comparison/candidate.csv")),
        Files.readAllBytes(dir.resolve("release/comparison/candidate.csv")));
  }

  @Test
  void adoptRefusesARunWithoutACandidateAndACandidateOfAnotherSpec() throws Exception {
    Files.copy(IRIS, data.resolve("iris.csv"));
    relabelled();
    assertEquals(
        3, retrain(spec(0.99, 0.02), "gs://labelled/relabelled.csv", "--run-id", "failed"));
    String sha = manifest(run("failed")).modelSha256();
    assertEquals(1, adopt(run("failed"), sha, dir.resolve("out")));
    assertTrue(printed().contains("it has no candidate"), printed());

    assertEquals(0, retrain(spec(0.9, 0.02), "gs://labelled/iris.csv", "--run-id", "other"));
    out.reset();
    err.reset();
    assertEquals(1, adopt(run("other"), manifest(run("other")).modelSha256(), dir.resolve("out")));
    assertTrue(printed().contains("than this commit's"), printed());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  private int adopt(Path run, String sha, Path output) {
    return ToolRun.run(
        out,
        err,
        Map.of(),
        "adopt",
        "--candidate",
        run.toString(),
        "--sha256",
        sha,
        "--uri",
        "gs://candidates/iris/" + run.getFileName(),
        "--spec",
        TrainingFixtures.IRIS_SPEC.toString(),
        "--model-version",
        "1.4.0",
        "--output",
        output.toString(),
        "--comparison-dir",
        output.resolveSibling("comparison").toString());
  }
}
