package dev.predictfn.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.evaluate.EvaluateCommand;
import dev.predictfn.records.RecordLineWriter;
import dev.predictfn.release.CloudRunSandbox.Result;
import dev.predictfn.support.Bundles;
import dev.predictfn.support.Json;
import dev.predictfn.support.RequiresCommands;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cloudrun/evaluate-job.sh} against {@link FakeGcloud}: the job runs the image by digest
 * with the records bucket mounted, its schedule runs as an account that may run this job and
 * nothing else, and the arguments the job passes are ones the image's {@code evaluate} mode runs:
 * here they run against a directory laid out as the logging sink lays out the bucket.
 */
@RequiresCommands({"bash", "jq"})
class EvaluateJobScriptTest {
  private static final String JOB = "prediction-function-evaluate";

  @TempDir Path dir;
  private CloudRunSandbox cloud;

  @BeforeEach
  void sandbox() throws Exception {
    cloud = new CloudRunSandbox(dir);
  }

  private Result deploy(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("deploy", "--image", CloudRunSandbox.image(1), "--bucket", "demo-records"));
    args.addAll(Arrays.asList(extra));
    return cloud.run("evaluate-job.sh", args.toArray(String[]::new));
  }

  @Test
  @SuppressWarnings("unchecked")
  void deploysTheJobAndAScheduleThatMayRunItAndNothingElse() throws Exception {
    Result deployed = deploy("--schedule", "0 6 * * *", "--max-accuracy-drop", "0.1");
    assertEquals(0, deployed.status(), deployed.describe());

    List<String> job = cloud.calls("run", "jobs", "deploy").get(0);
    assertEquals(JOB, job.get(3));
    assertTrue(job.contains("--image=" + CloudRunSandbox.image(1)), job.toString());
    assertTrue(job.contains("--add-volume=name=records,type=cloud-storage,bucket=demo-records"));
    assertTrue(job.contains("--add-volume-mount=volume=records,mount-path=/records"));
    assertTrue(job.contains("--max-retries=0"), "a drop is a verdict, not a failure to retry");
    Map<String, Object> state = cloud.gcloudState();
    List<String> bindings = (List<String>) state.get("bindings");
    String scheduler = "prediction-function-scheduler@demo-project.iam.gserviceaccount.com";
    assertEquals(
        List.of(
            "storage buckets gs://demo-records serviceAccount:prediction-function-runtime@demo-project.iam.gserviceaccount.com roles/storage.objectUser",
            "run jobs " + JOB + " serviceAccount:" + scheduler + " roles/run.invoker"),
        bindings);
    Map<String, Object> schedule =
        ((Map<String, Map<String, Object>>) state.get("schedulers")).get(JOB + "-schedule");
    assertEquals("0 6 * * *", schedule.get("--schedule"));
    assertEquals("Etc/UTC", schedule.get("--time-zone"));
    assertEquals(
        "https://run.googleapis.com/v2/projects/demo-project/locations/europe-west1/jobs/"
            + JOB
            + ":run",
        schedule.get("--uri"));
    assertEquals(scheduler, schedule.get("--oauth-service-account-email"));

    // Again with another schedule: the scheduler job is updated, the account kept.
    Result again = deploy("--schedule", "30 5 * * 1");
    assertEquals(0, again.status(), again.describe());
    assertEquals(1, cloud.calls("scheduler", "jobs", "update").size());
    assertEquals(1, cloud.calls("iam", "service-accounts", "create").size());
    assertEquals(
        "30 5 * * 1",
        ((Map<String, Map<String, Object>>) cloud.gcloudState().get("schedulers"))
            .get(JOB + "-schedule")
            .get("--schedule"));

    Result run = cloud.run("evaluate-job.sh", "run", "--wait");
    assertEquals(0, run.status(), run.describe());
    assertTrue(cloud.calls("run", "jobs", "execute").get(0).contains("--wait"));
  }

  @Test
  void theJobsArgumentsRunTheImagesEvaluateModeOverTheSinksLayout() throws Exception {
    Result deployed = deploy();
    assertEquals(0, deployed.status(), deployed.describe());
    String[] args = cloud.firstJobArgs();
    Path bucket = Files.createDirectories(dir.resolve("bucket"));
    // The sink's layout: LOG_ID/YYYY/MM/DD/HH:MM:SS_HH:MM:SS_S0.json, entries with jsonPayload.
    Path hour = Files.createDirectories(bucket.resolve("run.googleapis.com/stdout/2026/12/01"));
    ModelBundle iris = Bundles.readBuiltIn();
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      String id = UUID.randomUUID().toString();
      String label = i < 60 ? "setosa" : "virginica";
      entries.add(
          RecordLineWriter.asSinkEntry(
              RecordLineWriter.prediction(
                  iris,
                  1_796_000_000_000L + i,
                  "r-1",
                  id,
                  "setosa",
                  Map.of("setosa", 0.9, "versicolor", 0.05, "virginica", 0.05),
                  null,
                  null)));
      entries.add(
          RecordLineWriter.asSinkEntry(
              RecordLineWriter.feedback(1_796_000_100_000L + i, id, label, "r-1")));
    }
    Files.write(hour.resolve("00:00:00_00:59:59_S0.json"), entries);

    String[] argv =
        Arrays.stream(args)
            .map(a -> a.replace("/records", bucket.toString()))
            .toArray(String[]::new);
    assertEquals("evaluate", argv[0]);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        EvaluateCommand.run(
            Arrays.copyOfRange(argv, 1, argv.length),
            Map.of(),
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(2, exit, "half right: accuracy 0.5 dropped\n" + out);
    Path report = bucket.resolve("evaluate/online-accuracy.json");
    assertEquals(
        0.5,
        Json.parse(Files.readString(report))
            .get("revisions")
            .get(0)
            .get("accuracy")
            .getDoubleValue());
  }

  @Test
  void mistakesAreRefusedWithWhatToFix() {
    Result tag =
        cloud.run(
            "evaluate-job.sh",
            "deploy",
            "--image",
            "europe-west1-docker.pkg.dev/p/r/i:1.0",
            "--bucket",
            "b-1");
    assertEquals(1, tag.status());
    assertTrue(tag.err().contains("never by a tag"), tag.describe());
    Result cron = deploy("--schedule", "every day");
    assertEquals(1, cron.status());
    assertTrue(cron.err().contains("cron expression of five fields"), cron.describe());
    Result drop = deploy("--max-accuracy-drop", "5");
    assertEquals(1, drop.status());
    assertTrue(drop.err().contains("--max-accuracy-drop must be a number from 0 to 1"));
  }
}
