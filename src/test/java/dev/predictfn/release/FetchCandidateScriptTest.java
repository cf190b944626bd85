package dev.predictfn.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.release.CloudRunSandbox.Result;
import dev.predictfn.support.Json;
import dev.predictfn.support.RequiresCommands;
import dev.predictfn.tools.Tools;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
 * The candidate workflow's path to an image, short of Maven: the retraining job (the real {@code
 * tools retrain}) writes runs into a bucket that {@link FakeGcloud} keeps, {@code
 * cloudrun/fetch-candidate.sh} copies one back and refuses anything but the candidate named, and
 * {@code tools adopt} (what the build runs with {@code -Dmodel.candidate}) takes the copy.
 */
@RequiresCommands({"bash", "jq", "sha256sum"})
class FetchCandidateScriptTest {
  private static final Path IRIS = Path.of("src/main/training/data/iris/v1.csv");
  private static final String RUNS = "gs://demo-candidates/iris-sgd/";

  @TempDir Path dir;
  private CloudRunSandbox cloud;
  private Path labelled;

  @BeforeEach
  void sandbox() throws Exception {
    cloud = new CloudRunSandbox(dir);
    labelled = Files.createDirectories(dir.resolve("labelled"));
  }

  /** A run of the retraining job, as its execution EXECUTION, over LINES; answers run.json. */
  private io.micronaut.json.tree.JsonNode retrain(String execution, List<String> lines)
      throws Exception {
    Files.write(labelled.resolve(execution + ".csv"), lines);
    Path bucket = Files.createDirectories(FakeGcloud.bucket(cloud.state, "demo-candidates"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    Tools.run(
        new String[] {
          "retrain",
          "--spec",
          "src/main/training/iris.spec.json",
          "--data",
          "gs://demo-labelled/" + execution + ".csv",
          "--candidates",
          RUNS.substring(0, RUNS.length() - 1),
          "--data-mount",
          labelled.toString(),
          "--candidates-mount",
          bucket.toString()
        },
        print,
        print,
        Map.of("CLOUD_RUN_JOB", "prediction-function-retrain", "CLOUD_RUN_EXECUTION", execution));
    return Json.parse(
        Files.readString(bucket.resolve("iris-sgd").resolve(execution).resolve("run.json")));
  }

  private Result fetch(String execution, String sha256, Path out) {
    return cloud.run(
        "fetch-candidate.sh",
        "--candidate",
        RUNS + execution + "/",
        "--sha256",
        sha256,
        "--out",
        out.toString());
  }

  @Test
  void fetchesTheCandidateNamedSummarisesItAndTheBuildsAdoptTakesTheCopy() throws Exception {
    String sha =
        retrain("retrain-w49", Files.readAllLines(IRIS)).get("model_sha256").getStringValue();
    Path copy = dir.resolve("runner-temp/candidate");

    Result fetched = fetch("retrain-w49", sha, copy);

    assertEquals(0, fetched.status(), fetched.describe());
    assertEquals(copy.toString(), fetched.output("candidate_dir"));
    assertTrue(Files.isRegularFile(copy.resolve("bundle/model.tribuo")));
    assertTrue(
        cloud.calls("storage", "rsync").get(0).contains(RUNS + "retrain-w49/"),
        cloud.calls().toString());
    String summary = Files.readString(cloud.summary);
    assertTrue(summary.contains("`gs://demo-labelled/retrain-w49.csv`"), summary);
    assertTrue(summary.contains("prediction-function-retrain / retrain-w49"), summary);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    int adopted =
        Tools.run(
            new String[] {
              "adopt",
              "--candidate",
              copy.toString(),
              "--sha256",
              sha,
              "--uri",
              RUNS + "retrain-w49/",
              "--spec",
              "src/main/training/iris.spec.json",
              "--model-version",
              "1.4.0",
              "--output",
              dir.resolve("target/model-bundle/model").toString()
            },
            print,
            print,
            Map.of());
    assertEquals(0, adopted, out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void refusesAnotherShaARunWithoutACandidateADamagedCopyAndAnUnfinishedRun() throws Exception {
    String sha = retrain("good", Files.readAllLines(IRIS)).get("model_sha256").getStringValue();
    Result other =
        fetch(
            "good", sha.replace(sha.charAt(3), sha.charAt(3) == '0' ? '1' : '0'), dir.resolve("a"));
    assertEquals(1, other.status());
    assertTrue(other.err().contains("not the"), other.describe());

    List<String> bad = new ArrayList<>(Files.readAllLines(IRIS));
    bad.set(5, "5.0,3.6,1.4,0.2,setosa,extra");
    retrain("bad", bad);
    Result failed = fetch("bad", sha, dir.resolve("b"));
    assertEquals(1, failed.status());
    assertTrue(failed.err().contains("ended with error"), failed.describe());
    assertTrue(failed.err().contains("a retraining run failed its gate"), failed.describe());

    Path model =
        FakeGcloud.bucket(cloud.state, "demo-candidates")
            .resolve("iris-sgd/good/bundle/model.tribuo");
    byte[] bytes = Files.readAllBytes(model);
    bytes[bytes.length / 2] ^= 1;
    Files.write(model, bytes);
    Result damaged = fetch("good", sha, dir.resolve("c"));
    assertEquals(1, damaged.status());
    assertTrue(damaged.err().contains("damaged"), damaged.describe());

    Files.delete(model.getParent().getParent().resolve("run.json"));
    Result unfinished = fetch("good", sha, dir.resolve("d"));
    assertEquals(1, unfinished.status());
    assertTrue(unfinished.err().contains("has no run.json"), unfinished.describe());

    Result missing = fetch("never-ran", sha, dir.resolve("e"));
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("could not copy"), missing.describe());
  }
}
