package dev.predictfn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.training.TrainingFixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command the build runs: exit codes, messages, and no half-written bundle. */
class TrainCommandTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ToolRun.run(out, err, Map.of(), "train", args);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void trainsIrisWritesTheBundleAndPrintsASummary() throws Exception {
    Path output = dir.resolve("model");

    int code =
        run(
            "--spec",
            TrainingFixtures.IRIS_SPEC.toString(),
            "--output",
            output.toString(),
            "--model-version",
            "9.9.9",
            "--trained-at",
            "1767225600");

    assertEquals(0, code, stderr());
    assertTrue(Files.isRegularFile(output.resolve("model.tribuo")));
    assertTrue(
        Files.readString(output.resolve("model-card.json"))
            .contains("\"trained_at\" : \"2026-01-01T00:00Z\""));
    assertTrue(stdout().contains("trained iris-sgd 9.9.9 on 105 rows (45 held out)"), stdout());
    assertTrue(stdout().contains("quality gate: accuracy 1.0000 >= 0.93 passed"), stdout());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count(), "no staging directory left behind");
    }
  }

  @Test
  void gateFailureExits3AndWritesNoBundle() throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Files.write(dir.resolve("data/noise.csv"), TrainingFixtures.noiseCsv());
    Path spec = dir.resolve("noise.spec.json");
    Files.writeString(
        spec,
        Files.readString(TrainingFixtures.IRIS_SPEC).replace("data/iris/v1.csv", "data/noise.csv"));
    Path output = dir.resolve("model");

    int code =
        run("--spec", spec.toString(), "--output", output.toString(), "--model-version", "1");

    assertEquals(3, code);
    assertTrue(stderr().contains("quality gate failed: held-out accuracy"), stderr());
    assertTrue(stderr().contains("is below its minimum 0.9300"), stderr());
    assertFalse(Files.exists(output));
  }

  @Test
  void badDataNamesFileLineAndColumn() throws Exception {
    Files.createDirectories(dir.resolve("data/iris"));
    Files.writeString(
        dir.resolve("data/iris/v1.csv"),
        "sepal_length,sepal_width,petal_length,petal_width,species\n"
            + "5.1,3.5,1.4,0.2,setosa\n"
            + "4.9,abc,1.4,0.2,setosa\n");
    Path spec = dir.resolve("iris.spec.json");
    Files.copy(TrainingFixtures.IRIS_SPEC, spec);

    int code =
        run(
            "--spec",
            spec.toString(),
            "--output",
            dir.resolve("m").toString(),
            "--model-version",
            "1");

    assertEquals(1, code);
    assertTrue(
        stderr().contains("data/iris/v1.csv line 3, column 2 (sepal_width): 'abc' is not a number"),
        stderr());
  }

  @Test
  void invalidSpecNamesTheSetting() throws Exception {
    Path spec = dir.resolve("bad.spec.json");
    Files.writeString(
        spec,
        Files.readString(TrainingFixtures.IRIS_SPEC)
            .replace("\"test_fraction\": 0.3", "\"test_fraction\": 1.5"));

    int code =
        run(
            "--spec",
            spec.toString(),
            "--output",
            dir.resolve("m").toString(),
            "--model-version",
            "1");

    assertEquals(1, code);
    assertTrue(
        stderr().contains("bad.spec.json: split.test_fraction must be between 0 and 1 but was 1.5"),
        stderr());
  }

  @Test
  void missingSpecFileIsNamed() {
    int code =
        run("--spec", dir.resolve("none.json").toString(), "--output", "x", "--model-version", "1");

    assertEquals(1, code);
    assertTrue(stderr().contains("file not found: " + dir.resolve("none.json")), stderr());
  }

  @Test
  void unknownOrMissingOptionsPrintUsage() {
    assertEquals(1, run("--spec", "a", "--output", "b", "--outptu", "c"));
    assertTrue(stderr().contains("Unknown options: '--outptu', 'c'"), stderr());
    assertTrue(stderr().contains("usage: tools train"), stderr());

    err.reset();
    assertEquals(1, run("--spec", "a"));
    assertTrue(stderr().contains("Missing required option: '--output=DIR'"), stderr());
  }

  @Test
  void helpListsEveryOptionWithItsDefaultAndTheExitCodes() {
    assertEquals(0, run("--help"));
    assertTrue(stdout().contains("--trained-at=TIME"), stdout());
    assertTrue(stdout().contains("1980-01-01T00:00:00Z)."), stdout());
    assertTrue(stdout().contains("3   a quality gate failed; nothing written"), stdout());
  }

  @Test
  void unreadableTimestampIsRejected() {
    int code =
        run(
            "--spec",
            TrainingFixtures.IRIS_SPEC.toString(),
            "--output",
            dir.resolve("m").toString(),
            "--model-version",
            "1",
            "--trained-at",
            "yesterday");

    assertEquals(1, code);
    assertTrue(
        stderr()
            .contains("Invalid value for option '--trained-at': 'yesterday' is neither ISO-8601"),
        stderr());
  }
}
