package dev.predictfn.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.support.CloudRunService;
import dev.predictfn.support.HttpAnswer;
import dev.predictfn.support.HttpCall;
import dev.predictfn.support.Json;
import dev.predictfn.support.NettyTransport;
import dev.predictfn.support.Podman;
import dev.predictfn.support.RunningContainer;
import dev.predictfn.support.SigtermDrill;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image Jib built ({@code target/jib-image.tar}), loaded into podman and run the way Cloud Run
 * runs it (see {@link RunningContainer}): it serves as a non-root user from a read-only file
 * system, starts from the AOT cache recorded at build time, drains on SIGTERM, and refuses a
 * damaged model bundle. Runs in the {@code image} profile (docs/container-image.md).
 */
class ContainerImageIT {
  private static final String SETOSA = "{\"features\":[5.1,3.5,1.4,0.2]}";
  private static final Duration START_LIMIT = Duration.ofSeconds(60);

  private static Podman podman;
  private static String image;

  @BeforeAll
  static void loadImage() throws Exception {
    Path tar = Path.of(required("image.tar"));
    podman = Podman.in(Path.of(required("image.work"), "podman"));
    podman.run("load", "--input", tar.toString()).orThrow();
    // The image ID is the digest of its config, which Jib wrote beside the tarball.
    image = Files.readString(Path.of(required("image.id.file"))).trim();
  }

  @AfterAll
  static void removeImage() throws Exception {
    if (image != null) {
      podman.run("rmi", "--force", image);
    }
  }

  @Test
  void imageIsShellLessNonRootAndLabelledWithItsOrigin() throws Exception {
    JsonNode config =
        Json.parse(podman.run("image", "inspect", image).orThrow().stdout()).get(0).get("Config");
    assertEquals("65532:65532", config.get("User").getStringValue());
    assertEquals("/opt/java/bin/java", config.get("Entrypoint").get(0).getStringValue());
    JsonNode labels = config.get("Labels");
    assertEquals(
        required("image.revision"),
        labels.get("org.opencontainers.image.revision").getStringValue());
    assertEquals(
        required("project.version"),
        labels.get("org.opencontainers.image.version").getStringValue());
    assertEquals(
        required("model.version"), labels.get("dev.predictfn.model.version").getStringValue());

    Podman.Result shell = podman.run("run", "--rm", "--entrypoint", "/bin/sh", image, "-c", "true");
    assertNotEquals(0, shell.exitCode(), "the image must have no shell");
  }

  @Test
  void servesThroughThePublishedPortAsANonRootUserFromAReadOnlyFileSystem() throws Exception {
    try (RunningContainer container = start(Map.of(), List.of())) {
      NettyTransport http = container.awaitReady(START_LIMIT).http();

      HttpAnswer prediction = http.send(HttpCall.postJson("/predict", SETOSA));
      assertEquals(200, prediction.status(), prediction.body());
      assertEquals("setosa", Json.parse(prediction.body()).get("prediction").getStringValue());

      // BigQuery's remote-function route, a batch as BigQuery sends it (a NULL answered NULL).
      HttpAnswer remote =
          http.send(
              HttpCall.postJson(
                  "/bigquery",
                  "{\"requestId\":\"r\",\"caller\":\"//bigquery.googleapis.com/projects/p/jobs/j\","
                      + "\"sessionUser\":\"a@example.com\",\"userDefinedContext\":{\"on_null\":"
                      + "\"null\"},\"calls\":[[5.1,3.5,1.4,0.2],[6.7,null,5.2,2.3],"
                      + "[\"6.7\",3,5.2,2.3]]}"));
      assertEquals(200, remote.status(), remote.body());
      assertEquals("{\"replies\":[\"setosa\",null,\"virginica\"]}", remote.body());
      HttpAnswer refused =
          http.send(HttpCall.postJson("/bigquery", "{\"calls\":[[6.7,null,5.2,2.3]]}"));
      assertEquals(400, refused.status(), refused.body());
      assertTrue(refused.body().startsWith("{\"errorMessage\":\"calls[0][1]"), refused.body());

      HttpAnswer readiness = http.send(HttpCall.get("/health/readiness"));
      assertEquals(200, readiness.status());
      assertEquals("UP", Json.parse(readiness.body()).get("status").getStringValue());

      HttpAnswer metrics = http.send(HttpCall.get("/metrics"));
      assertEquals(200, metrics.status());
      assertTrue(metrics.body().contains("model_ready{model_version="), metrics.body());
      assertTrue(metrics.body().contains("predictions_total{label=\"setosa\""), metrics.body());

      assertEquals("65532", container.processUid(), "the JVM runs as the image's nonroot user");
      for (String line : container.logs().split("\n")) {
        assertTrue(line.isEmpty() || line.startsWith("{"), "every log line is JSON: " + line);
      }
    }
  }

  /**
   * The image as a Cloud Run job's task runs it (cloudrun/score-job.sh): the job's command starts
   * the JVM from the task's launch file, its arguments select the score mode, the task's index and
   * count come from Cloud Run's variables, the bucket is a volume at /data. The image's own
   * entrypoint, which a job deployed before the launch file still uses, scores to the same bytes.
   */
  @Test
  void scoresFilesAsAJobTaskWhenItsArgumentsSaySo(@TempDir Path bucket) throws Exception {
    Path in = Files.createDirectories(bucket.resolve("in"));
    Files.writeString(
        in.resolve("day.csv"),
        "id,sepal_length,sepal_width,petal_length,petal_width\n1,5.1,3.5,1.4,0.2\n"
            + "2,6.7,3.0,5.2,2.3\n3,abc,3.0,5.2,2.3\n");
    // The image runs as its nonroot user, which must be able to read the input and write the
    // output, as the job's runtime account can in the bucket.
    Files.setPosixFilePermissions(bucket, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(in, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        in.resolve("day.csv"), PosixFilePermissions.fromString("rw-r--r--"));

    Podman.Result task =
        scoreTask(
            bucket,
            "job",
            // Read by the java launcher; the logs go to stderr, so stdout stays JSON lines.
            "--env=JDK_JAVA_OPTIONS=-Xlog:arguments=info:stderr -Xlog:class+load=info:stderr",
            "--entrypoint=[\"/opt/java/bin/java\",\"@/app/score.args\"]");
    assertEquals(0, task.exitCode(), task.stdout() + task.stderr());
    Path out = bucket.resolve("job");
    List<String> part = Files.readAllLines(out.resolve("part-00000-of-00001.csv"));
    assertEquals(3, part.size(), part.toString());
    assertTrue(part.get(1).startsWith("1,setosa,"), part.toString());
    assertTrue(part.get(2).startsWith("2,virginica,"), part.toString());
    assertEquals(1, Files.readAllLines(out.resolve("rejects-00000-of-00001.jsonl")).size());
    assertTrue(
        task.stdout().contains("score summary: task 0 of 1: 3 rows read, 2 scored"), task.stdout());
    for (String line : task.stdout().split("\n")) {
      assertTrue(line.isEmpty() || line.startsWith("{"), "every log line is JSON: " + line);
    }
    // The launch file maps the image's AOT cache and turns off the replay of its serving profiles.
    assertTrue(
        task.stderr().contains("dev.predictfn.Application source: shared objects file"),
        "the task's classes come from the image's AOT cache");
    String jvmArguments =
        task.stderr().lines().filter(line -> line.contains("jvm_args:")).findFirst().orElse("");
    assertTrue(
        jvmArguments.contains("-XX:AOTCache=/app/aot/app.aot")
            && jvmArguments.contains("-XX:-AOTReplayTraining"),
        jvmArguments);

    Podman.Result byEntrypoint = scoreTask(bucket, "entrypoint");
    assertEquals(0, byEntrypoint.exitCode(), byEntrypoint.stdout() + byEntrypoint.stderr());
    for (String file : List.of("part-00000-of-00001.csv", "rejects-00000-of-00001.jsonl")) {
      assertEquals(
          Files.readString(out.resolve(file)),
          Files.readString(bucket.resolve("entrypoint").resolve(file)),
          file);
    }
  }

  /** A score task over the bucket's {@code in/*.csv} into its directory {@code output}. */
  private Podman.Result scoreTask(Path bucket, String output, String... podmanOptions)
      throws Exception {
    Path out = Files.createDirectories(bucket.resolve(output));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
    CloudRunService service = CloudRunService.load();
    List<String> command = new ArrayList<>(List.of("run", "--rm"));
    command.add("--cpus=" + service.cpu());
    command.add("--memory=" + service.podmanMemory());
    command.add("--read-only");
    command.add("--env=CLOUD_RUN_TASK_INDEX=0");
    command.add("--env=CLOUD_RUN_TASK_COUNT=1");
    command.add("--volume=" + bucket.toAbsolutePath() + ":/data");
    command.addAll(List.of(podmanOptions));
    command.add(image);
    command.addAll(
        List.of("score", "--input", "/data/in/*.csv", "--output", "/data/" + output, "--id", "id"));
    return podman.run(command.toArray(String[]::new));
  }

  @Test
  void startsFromTheAotCacheRecordedAtBuildTime() throws Exception {
    // JDK_JAVA_OPTIONS is read by the java launcher, so the image's own command line is unchanged.
    try (RunningContainer container =
        start(Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info"), List.of())) {
      container.awaitReady(START_LIMIT);
      String logs = container.logs();
      assertTrue(
          logs.contains("dev.predictfn.Application source: shared objects file"),
          "the main class comes from the AOT cache");
      int fromCache = count(logs, "source: shared objects file");
      int fromJars = count(logs, "source: file:") + count(logs, "source: jar:");
      assertTrue(
          fromCache > 20 * Math.max(1, fromJars),
          fromCache + " classes from the cache, " + fromJars + " from jars");
    }
  }

  @Test
  void drainsTheRequestsInFlightAtSigtermAndExitsZero() throws Exception {
    try (RunningContainer container = start(Map.of(), List.of())) {
      container.awaitReady(START_LIMIT);
      SigtermDrill.Outcome outcome =
          SigtermDrill.run(
              container.uri().getPort(),
              new SigtermDrill.Target() {
                @Override
                public void sigterm() throws Exception {
                  container.sigterm();
                }

                @Override
                public int awaitExit() throws Exception {
                  return container.awaitExit();
                }
              });

      outcome.assertDrained(container.logs());
    }
  }

  @Test
  void neverBecomesReadyWithADamagedBundleAndLogsWhy() throws Exception {
    Path bundle = Files.createDirectories(Path.of(required("image.work"), "damaged-bundle"));
    Files.setPosixFilePermissions(bundle, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String file : List.of("model-card.json", "model.tribuo")) {
      Path copy = bundle.resolve(file);
      Files.copy(
          Path.of(required("model.bundle"), file),
          copy,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
    }
    byte[] model = Files.readAllBytes(bundle.resolve("model.tribuo"));
    model[model.length / 2] ^= 0x01;
    Files.write(bundle.resolve("model.tribuo"), model);

    try (RunningContainer container =
        start(
            Map.of("MODEL_PATH", "/bundle"),
            List.of("--volume", bundle.toAbsolutePath() + ":/bundle:ro"))) {
      NettyTransport http = container.http();
      awaitLive(container, http);
      for (int i = 0; i < 20; i++) {
        assertEquals(503, http.send(HttpCall.get("/health/readiness")).status());
        Thread.sleep(100);
      }
      assertEquals(503, http.send(HttpCall.postJson("/predict", SETOSA)).status());
      String logs = container.logs();
      assertTrue(logs.contains("Model bundle at /bundle rejected"), logs);
      assertTrue(logs.contains("/bundle/model.tribuo: SHA-256 expected"), logs);
    }
  }

  private static RunningContainer start(Map<String, String> env, List<String> extraArgs)
      throws IOException, InterruptedException {
    return RunningContainer.start(podman, image, env, extraArgs);
  }

  private static void awaitLive(RunningContainer container, NettyTransport http) throws Exception {
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(HttpCall.get("/health/liveness")).status() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // keep polling
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("never live:\n" + container.logs());
  }

  private static String batchOf(int rows) {
    StringBuilder body = new StringBuilder("{\"instances\":[");
    for (int i = 0; i < rows; i++) {
      body.append(i == 0 ? "" : ",").append("[5.9,3.0,4.2,1.5]");
    }
    return body.append("]}").toString();
  }

  private static int count(String text, String needle) {
    Matcher matcher = Pattern.compile(Pattern.quote(needle)).matcher(text);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }

  /** A system property the image profile sets, or a failure that says how to run the test. */
  static String required(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property " + property + " is not set: run with ./mvnw verify -Pimage");
    }
    return value;
  }
}
