package dev.predictfn.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.bundle.BundleLocation;
import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.bundle.ModelBundleReader;
import dev.predictfn.bundle.ModelCardJson;
import dev.predictfn.retrain.RunManifest;
import dev.predictfn.support.CloudRunService;
import dev.predictfn.support.Json;
import dev.predictfn.support.Podman;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retraining job's image ({@code target/jib-retrain-image.tar}) run as a Cloud Run job's task
 * runs it: read-only, as its non-root user, the job's arguments after the entry point, and a
 * directory standing in for each bucket where Cloud Run would mount it. Runs in the {@code image}
 * profile, beside {@link ContainerImageIT}.
 */
class RetrainJobImageIT {
  private static final Path IRIS = Path.of("src/main/training/data/iris/v1.csv");

  private static Podman podman;
  private static String image;

  @TempDir Path dir;
  private Path data;
  private Path candidates;

  @BeforeAll
  static void loadImage() throws Exception {
    podman = Podman.in(Path.of(ContainerImageIT.required("image.work"), "podman"));
    podman.run("load", "--input", ContainerImageIT.required("retrain.image.tar")).orThrow();
    image = Files.readString(Path.of(ContainerImageIT.required("retrain.image.id.file"))).trim();
  }

  @AfterAll
  static void removeImage() throws Exception {
    if (image != null) {
      podman.run("rmi", "--force", image);
    }
  }

  @BeforeEach
  void buckets() throws IOException {
    // The task runs as the image's user, which must read the data and write candidates, as the
    // job's service account may in the buckets.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    data = Files.createDirectories(dir.resolve("data"));
    candidates = Files.createDirectories(dir.resolve("candidates"));
    Files.setPosixFilePermissions(candidates, PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  private Podman.Result task(String execution, String dataUri) throws Exception {
    CloudRunService service = CloudRunService.load();
    return podman.run(
        "run",
        "--rm",
        "--cpus=" + service.cpu(),
        "--memory=" + service.podmanMemory(),
        "--read-only",
        "--env=CLOUD_RUN_JOB=prediction-function-retrain",
        "--env=CLOUD_RUN_EXECUTION=" + execution,
        "--volume=" + data.toAbsolutePath() + ":/data:ro",
        "--volume=" + candidates.toAbsolutePath() + ":/candidates",
        image,
        // What cloudrun/retrain-job.sh gives the job as its arguments.
        "retrain",
        "--spec",
        "iris.spec.json",
        "--data",
        dataUri,
        "--candidates",
        "gs://candidates-bucket/iris-sgd",
        "--data-mount",
        "/data",
        "--candidates-mount",
        "/candidates");
  }

  private void write(String name, List<String> lines) throws IOException {
    Path file = data.resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
    for (Path p = file; !p.equals(data); p = p.getParent()) {
      Files.setPosixFilePermissions(
          p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
    }
  }

  private Path run(String execution) {
    return candidates.resolve("iris-sgd").resolve(execution);
  }

  /**
   * {@code run.json} as a tree: the packaged classes the integration tests run with are the AOT
   * ones, whose build-time introspection list does not know training's types.
   */
  private static JsonNode manifest(Path run) throws IOException {
    return Json.parse(Files.readString(run.resolve("run.json")));
  }

  private static String text(JsonNode node, String field) {
    return node.get(field).getStringValue();
  }

  @Test
  void trainsFromExportedShardsAndWritesACandidateTheServiceLoads() throws Exception {
    List<String> lines = Files.readAllLines(IRIS);
    write("export/part-000.csv", lines.subList(0, 76));
    List<String> second = new ArrayList<>(List.of(lines.get(0)));
    second.addAll(lines.subList(76, lines.size()));
    write("export/part-001.csv", second);

    Podman.Result task = task("retrain-a1b2c", "gs://data-bucket/export/part-*.csv");

    assertEquals(0, task.exitCode(), task.stdout() + task.stderr());
    JsonNode manifest = manifest(run("retrain-a1b2c"));
    assertEquals(RunManifest.CANDIDATE, text(manifest, "outcome"));
    assertEquals("gs://candidates-bucket/iris-sgd/retrain-a1b2c/", text(manifest, "candidate"));
    assertEquals("retrain-a1b2c", text(manifest, "execution"));
    assertEquals(2, manifest.get("data").get("shards").size());
    String sha256 = text(manifest, "model_sha256");
    ModelBundle bundle =
        new ModelBundleReader(new ModelCardJson())
            .read(BundleLocation.directory(run("retrain-a1b2c").resolve("bundle")), List.of());
    assertEquals(sha256, bundle.card().modelSha256());
    assertEquals("prediction-function-retrain", bundle.card().lineage().job());
    assertTrue(task.stdout().contains("candidate sha256 " + sha256), task.stdout());
  }

  @Test
  void aGateFailureEndsWithExit3AndBadDataWithExit1AndNeitherWritesABundle() throws Exception {
    List<String> relabelled = new ArrayList<>(Files.readAllLines(IRIS));
    for (int i = 1; i < relabelled.size(); i += 2) {
      relabelled.set(i, relabelled.get(i).replace(",versicolor", ",virginica"));
    }
    write("relabelled.csv", relabelled);
    List<String> bad = new ArrayList<>(Files.readAllLines(IRIS));
    bad.set(3, "4.7,3.2,,0.2,setosa");
    write("bad.csv", bad);

    Podman.Result gate = task("gate", "gs://data-bucket/relabelled.csv");
    Podman.Result error = task("error", "gs://data-bucket/bad.csv");

    assertEquals(3, gate.exitCode(), gate.stdout() + gate.stderr());
    assertEquals(RunManifest.GATE_FAILED, text(manifest(run("gate")), "outcome"));
    assertTrue(Files.isRegularFile(run("gate").resolve("model-card.json")));
    assertFalse(Files.exists(run("gate").resolve("bundle")));
    assertEquals(1, error.exitCode(), error.stdout() + error.stderr());
    JsonNode failed = manifest(run("error"));
    assertEquals(RunManifest.ERROR, text(failed, "outcome"));
    assertTrue(text(failed, "message").contains("line 4"), text(failed, "message"));
    assertFalse(Files.exists(run("error").resolve("bundle")));
    assertTrue(Files.isRegularFile(run("error").resolve("data.sha256")));
  }

  @Test
  void holdsTheToolsAndNotTheServedJarWhileTheServingImageHoldsNoTraining() throws Exception {
    JsonNode config =
        Json.parse(podman.run("image", "inspect", image).orThrow().stdout()).get(0).get("Config");
    assertEquals("65532:65532", config.get("User").getStringValue());
    List<String> files = files(image);
    assertTrue(files.contains("app/retrain/lib/picocli-4.7.7.jar"), files.toString());
    assertTrue(files.contains("app/retrain/training/iris.spec.json"), files.toString());
    assertFalse(files.stream().anyMatch(f -> f.startsWith("app/classpath/")), "no served jar");
    assertFalse(files.stream().anyMatch(f -> f.endsWith("model.tribuo")), "no served model");
    assertFalse(files.stream().anyMatch(f -> f.contains("/data/")), "no training data");

    podman.run("load", "--input", ContainerImageIT.required("image.tar")).orThrow();
    String serving = Files.readString(Path.of(ContainerImageIT.required("image.id.file"))).trim();
    List<String> served;
    try {
      served = files(serving);
    } finally {
      podman.run("rmi", serving);
    }
    assertFalse(
        served.stream().anyMatch(f -> f.contains("retrain") || f.contains("picocli")),
        "the serving image holds no training");
  }

  /** Every path in {@code image}'s file system. */
  private List<String> files(String imageId) throws Exception {
    String container = podman.run("create", imageId).orThrow().stdout().trim();
    Path tar = dir.resolve(container + ".tar");
    try {
      podman.run("export", "--output", tar.toString(), container).orThrow();
    } finally {
      podman.run("rm", "--force", container);
    }
    Process list = new ProcessBuilder("tar", "-tf", tar.toString()).start();
    String names = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(list.waitFor(60, TimeUnit.SECONDS) && list.exitValue() == 0, "tar -tf");
    return List.of(names.split("\n"));
  }
}
