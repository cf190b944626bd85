package dev.predictfn.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cloudrun/retrain-job.sh} against {@link FakeGcloud}: the job runs the retraining image by
 * digest as an account of its own that may read the data and write candidates and nothing else,
 * with both buckets mounted; a weekly schedule starts it by default; and the arguments the job
 * passes are ones the image's {@code tools retrain} runs, here against directories standing in for
 * the mounted buckets.
 */
@RequiresCommands({"bash", "jq"})
class RetrainJobScriptTest {
  private static final String JOB = "prediction-function-retrain";
  private static final String ACCOUNT =
      "prediction-function-retrain@demo-project.iam.gserviceaccount.com";
  // The release's candidate workflow reads runs back as the deployer (fetch-candidate.sh).
  private static final String DEPLOYER =
      "prediction-function-deployer@demo-project.iam.gserviceaccount.com";

  @TempDir Path dir;
  private CloudRunSandbox cloud;

  @BeforeEach
  void sandbox() throws Exception {
    cloud = new CloudRunSandbox(dir);
  }

  static String[] deployArgs(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "deploy",
                "--image",
                CloudRunSandbox.image(7),
                "--data",
                "gs://demo-labelled/exports/weekly/part-*.csv",
                "--candidates",
                "gs://demo-candidates/iris-sgd"));
    args.addAll(Arrays.asList(extra));
    return args.toArray(String[]::new);
  }

  @Test
  @SuppressWarnings("unchecked")
  void deploysTheJobWithItsOwnAccountBothBucketsMountedAndAWeeklySchedule() throws Exception {
    Result deployed = cloud.run("retrain-job.sh", deployArgs());
    assertEquals(0, deployed.status(), deployed.describe());

    List<String> job = cloud.calls("run", "jobs", "deploy").get(0);
    assertEquals(JOB, job.get(3));
    assertTrue(job.contains("--image=" + CloudRunSandbox.image(7)), job.toString());
    assertTrue(job.contains("--service-account=" + ACCOUNT), job.toString());
    assertTrue(job.contains("--max-retries=0"), "a failed gate is a verdict, not a failure");
    assertTrue(
        job.contains(
            "--add-volume=name=data,type=cloud-storage,bucket=demo-labelled,readonly=true"),
        job.toString());
    assertTrue(
        job.contains("--add-volume=name=candidates,type=cloud-storage,bucket=demo-candidates"));
    assertEquals(
        1,
        cloud.calls("iam", "service-accounts", "create").stream()
            .filter(c -> c.contains("prediction-function-retrain"))
            .count());
    Map<String, Object> state = cloud.gcloudState();
    List<String> bindings = (List<String>) state.get("bindings");
    String scheduler = "prediction-function-scheduler@demo-project.iam.gserviceaccount.com";
    assertEquals(
        List.of(
            "storage buckets gs://demo-candidates serviceAccount:"
                + ACCOUNT
                + " roles/storage.objectUser",
            "storage buckets gs://demo-candidates serviceAccount:"
                + DEPLOYER
                + " roles/storage.objectViewer",
            "storage buckets gs://demo-labelled serviceAccount:"
                + ACCOUNT
                + " roles/storage.objectViewer",
            "run jobs " + JOB + " serviceAccount:" + scheduler + " roles/run.invoker"),
        bindings);
    Map<String, Object> schedule =
        ((Map<String, Map<String, Object>>) state.get("schedulers")).get(JOB + "-schedule");
    assertEquals("0 5 * * 1", schedule.get("--schedule"), "weekly by default");
    assertEquals(scheduler, schedule.get("--oauth-service-account-email"));
    assertTrue(((String) schedule.get("--uri")).endsWith("/jobs/" + JOB + ":run"));

    // Again: the accounts are kept, the job and the schedule updated.
    Result again = cloud.run("retrain-job.sh", deployArgs("--schedule", "0 3 1 * *"));
    assertEquals(0, again.status(), again.describe());
    assertEquals(2, cloud.calls("iam", "service-accounts", "create").size());
    assertEquals(1, cloud.calls("scheduler", "jobs", "update").size());

    Result run = cloud.run("retrain-job.sh", "run", "--wait");
    assertEquals(0, run.status(), run.describe());
    assertTrue(cloud.calls("run", "jobs", "execute").get(0).contains("--wait"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void oneBucketForDataAndCandidatesIsMountedOnceAndNoScheduleMeansNone() throws Exception {
    Result deployed =
        cloud.run(
            "retrain-job.sh",
            "deploy",
            "--image",
            CloudRunSandbox.image(7),
            "--data",
            "gs://demo-ml/labelled.csv",
            "--candidates",
            "gs://demo-ml/candidates",
            "--no-schedule");
    assertEquals(0, deployed.status(), deployed.describe());
    List<String> job = cloud.calls("run", "jobs", "deploy").get(0);
    assertEquals(
        1, job.stream().filter(a -> a.startsWith("--add-volume=")).count(), job.toString());
    assertEquals(
        List.of(
            "storage buckets gs://demo-ml serviceAccount:" + ACCOUNT + " roles/storage.objectUser",
            "storage buckets gs://demo-ml serviceAccount:"
                + DEPLOYER
                + " roles/storage.objectViewer"),
        cloud.gcloudState().get("bindings"));
    assertTrue(cloud.calls("scheduler").isEmpty());
    assertTrue(
        job.stream()
            .anyMatch(a -> a.endsWith(",--candidates-mount,/candidates,--data-mount,/candidates")),
        "one bucket, one mount for both: " + job);
  }

  @Test
  void theJobsArgumentsRunTheImagesRetrainOverTheMountedBuckets() throws Exception {
    Result deployed = cloud.run("retrain-job.sh", deployArgs());
    assertEquals(0, deployed.status(), deployed.describe());
    String[] args = cloud.firstJobArgs();
    Path data = Files.createDirectories(dir.resolve("labelled/exports/weekly"));
    Path candidates = Files.createDirectories(dir.resolve("candidates"));
    List<String> iris = Files.readAllLines(Path.of("src/main/training/data/iris/v1.csv"));
    Files.write(data.resolve("part-000000000000.csv"), iris.subList(0, 100));
    List<String> second = new ArrayList<>(List.of(iris.get(0)));
    second.addAll(iris.subList(100, iris.size()));
    Files.write(data.resolve("part-000000000001.csv"), second);

    // In the image the spec is in the working directory and the buckets are at the mounts.
    String[] argv =
        Arrays.stream(args)
            .map(a -> a.equals("iris.spec.json") ? "src/main/training/iris.spec.json" : a)
            .map(a -> a.equals("/data") ? dir.resolve("labelled").toString() : a)
            .map(a -> a.equals("/candidates") ? candidates.toString() : a)
            .toArray(String[]::new);
    assertEquals("retrain", argv[0]);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    int exit = Tools.run(argv, print, print, Map.of("CLOUD_RUN_EXECUTION", JOB + "-8kq2z"));

    assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));
    Path run = candidates.resolve("iris-sgd").resolve(JOB + "-8kq2z");
    assertEquals(
        "candidate",
        Json.parse(Files.readString(run.resolve("run.json"))).get("outcome").getStringValue());
    assertTrue(Files.isRegularFile(run.resolve("bundle/model.tribuo")));
  }

  @Test
  void mistakesAreRefusedWithWhatToFix() throws Exception {
    Result tag =
        cloud.run(
            "retrain-job.sh",
            "deploy",
            "--image",
            "europe-west1-docker.pkg.dev/p/r/prediction-function-retrain:1.0",
            "--data",
            "gs://d/x.csv",
            "--candidates",
            "gs://c1");
    assertEquals(1, tag.status());
    assertTrue(tag.err().contains("never by a tag"), tag.describe());
    Result glob =
        cloud.run("retrain-job.sh", deployArgsWithData("gs://demo-labelled/*/part-*.csv"));
    assertEquals(1, glob.status());
    assertTrue(glob.err().contains("one * in the last segment"), glob.describe());
    Result local = cloud.run("retrain-job.sh", deployArgsWithData("/tmp/labelled.csv"));
    assertEquals(1, local.status());
    Result spec = cloud.run("retrain-job.sh", deployArgs("--spec", "irs.spec.json"));
    assertEquals(1, spec.status());
    assertTrue(spec.err().contains("a spec in src/main/training"), spec.describe());
    Result cron = cloud.run("retrain-job.sh", deployArgs("--schedule", "weekly"));
    assertEquals(1, cron.status());
    assertTrue(cron.err().contains("cron expression of five fields"), cron.describe());
    assertFalse(cloud.calls().stream().anyMatch(c -> c.contains("deploy")), "nothing deployed");
  }

  private static String[] deployArgsWithData(String data) {
    String[] args = deployArgs();
    args[4] = data;
    return args;
  }
}
