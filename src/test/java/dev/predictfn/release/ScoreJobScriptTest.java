package dev.predictfn.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.batch.ScoreCommand;
import dev.predictfn.release.CloudRunSandbox.Result;
import dev.predictfn.support.RequiresCommands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
 * {@code cloudrun/score-job.sh} against {@link FakeGcloud}: the job runs the service's image by
 * digest as the runtime account with the bucket mounted at /data, that account may use the bucket's
 * objects and nothing else is granted, and the arguments an execution passes are ones the image's
 * {@code score} mode runs: here they run, task by task, against a directory standing in for the
 * bucket.
 */
@RequiresCommands({"bash", "jq", "curl"})
class ScoreJobScriptTest {
  @TempDir Path dir;
  private CloudRunSandbox cloud;

  @BeforeEach
  void sandbox() throws Exception {
    cloud = new CloudRunSandbox(dir);
  }

  @Test
  void deploysTheImageByDigestWithTheBucketMountedAsTheRuntimeAccount() throws Exception {
    Result deployed =
        cloud.run(
            "score-job.sh",
            "deploy",
            "--image",
            CloudRunSandbox.image(1),
            "--bucket",
            "scoring-data");
    assertEquals(0, deployed.status(), deployed.describe());
    List<String> deploy = single(cloud.calls("run", "jobs", "deploy"));
    assertEquals("prediction-function-score", deploy.get(3));
    assertTrue(deploy.contains("--image=" + CloudRunSandbox.image(1)), deploy.toString());
    assertTrue(deploy.contains("--add-volume=name=data,type=cloud-storage,bucket=scoring-data"));
    assertTrue(deploy.contains("--add-volume-mount=volume=data,mount-path=/data"));
    // A task's own launch file (ContainerImageIT runs the image this way).
    assertTrue(deploy.contains("--command=/opt/java/bin/java,@/app/score.args"), deploy.toString());
    assertTrue(
        deploy.contains("--args=score,--input,/data/in,--output,/data/out"), deploy.toString());
    assertTrue(
        deploy.contains(
            "--service-account=prediction-function-runtime@demo-project.iam.gserviceaccount.com"));
    assertTrue(
        deploy.contains("--tasks=10") && deploy.contains("--max-retries=3"), deploy.toString());
    List<String> grant = single(cloud.calls("storage", "buckets", "add-iam-policy-binding"));
    assertEquals("gs://scoring-data", grant.get(3));
    assertTrue(grant.contains("--role=roles/storage.objectUser"), grant.toString());
    assertEquals(
        1,
        cloud.calls().stream().filter(c -> c.contains("add-iam-policy-binding")).count(),
        "one grant, on the bucket only");
  }

  @Test
  void anExecutionsArgumentsAreOnesTheScoreModeRuns() throws Exception {
    assertEquals(
        0,
        cloud
            .run(
                "score-job.sh",
                "deploy",
                "--image",
                CloudRunSandbox.image(1),
                "--bucket",
                "scoring-data")
            .status());
    Result run =
        cloud.run(
            "score-job.sh",
            "run",
            "--input",
            "in/2026-12-01/*.csv",
            "--output",
            "out/2026-12-01",
            "--id",
            "id",
            "--tasks",
            "3",
            "--wait");
    assertEquals(0, run.status(), run.describe());
    List<String> execute = single(cloud.calls("run", "jobs", "execute"));
    assertTrue(execute.contains("--tasks=3") && execute.contains("--wait"), execute.toString());
    String args =
        execute.stream()
            .filter(a -> a.startsWith("--args="))
            .findFirst()
            .orElseThrow()
            .substring(7);
    assertEquals(
        "score,--input,/data/in/2026-12-01/*.csv,--output,/data/out/2026-12-01,--id,id", args);

    // The bucket: a directory in place of /data, with two days of input.
    Path bucket = dir.resolve("bucket");
    Path day = Files.createDirectories(bucket.resolve("in/2026-12-01"));
    Files.writeString(
        day.resolve("a.csv"),
        "id,sepal_length,sepal_width,petal_length,petal_width\n1,5.1,3.5,1.4,0.2\n");
    Files.writeString(
        day.resolve("b.csv"),
        "id,sepal_length,sepal_width,petal_length,petal_width\n2,6.7,3.0,5.2,2.3\n");
    Files.createDirectories(bucket.resolve("in/2026-11-30"));
    List<String> task =
        new ArrayList<>(Arrays.asList(args.replace("/data/", bucket + "/").split(",")));
    assertEquals("score", task.remove(0));
    List<String> scored = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int status =
          ScoreCommand.run(
              task.toArray(String[]::new),
              Map.of("CLOUD_RUN_TASK_INDEX", Integer.toString(i), "CLOUD_RUN_TASK_COUNT", "3"),
              new PrintStream(new ByteArrayOutputStream()));
      assertEquals(0, status, "task " + i);
      List<String> lines =
          Files.readAllLines(
              bucket.resolve(String.format("out/2026-12-01/part-%05d-of-00003.csv", i)));
      scored.addAll(lines.subList(1, lines.size()));
    }
    assertEquals(2, scored.size(), scored.toString());
    assertTrue(scored.get(0).startsWith("1,setosa,"), scored.toString());
    assertTrue(scored.get(1).startsWith("2,virginica,"), scored.toString());
  }

  @Test
  void mistakesFailBeforeAnyChange() throws Exception {
    String[][] cases = {
      {
        "deploy",
        "--image",
        CloudRunSandbox.image(1).replaceAll("@sha256:.*", ":1.0.0"),
        "--bucket",
        "b"
      },
      {"deploy", "--image", CloudRunSandbox.image(1)},
      {"deploy", "--image", CloudRunSandbox.image(1), "--bucket", "b", "--tasks", "0"},
      {"run", "--input", "in/a.csv"},
      {"run", "--input", "in/{a,b}.csv", "--output", "out"},
      {"run", "--input", "/etc/passwd", "--output", "out"},
      {"run", "--input", "in", "--output", "../out"},
      {"status"},
    };
    for (String[] args : cases) {
      Result result = cloud.run("score-job.sh", args);
      assertNotEquals(0, result.status(), String.join(" ", args) + "\n" + result.describe());
    }
    assertTrue(cloud.calls().isEmpty(), cloud.calls().toString());
    Result missing = cloud.run("score-job.sh", "run", "--input", "in", "--output", "out");
    assertNotEquals(0, missing.status());
    assertTrue(missing.err().contains("Batch scoring job"), missing.describe());
  }

  private static List<String> single(List<List<String>> calls) {
    assertEquals(1, calls.size(), calls.toString());
    return calls.get(0);
  }
}
