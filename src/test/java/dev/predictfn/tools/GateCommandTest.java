package dev.predictfn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.training.TrainingFixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate against the released model: side-by-side table, tolerance, exit codes, CI summary. */
class GateCommandTest {
  private static final Path RELEASED =
      Path.of("src/main/training/reference/churn-sgd.model-card.json");
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String summary, String... args) {
    return ToolRun.run(
        out,
        err,
        summary == null ? Map.of() : Map.of("GITHUB_STEP_SUMMARY", summary),
        "gate",
        args);
  }

  private Path candidateWithPrAuc(String prAuc) throws Exception {
    String card = Files.readString(RELEASED);
    String edited = card.replaceFirst("\"pr_auc\" : [0-9.]+", "\"pr_auc\" : " + prAuc);
    Path file = dir.resolve("candidate.json");
    Files.writeString(file, edited);
    return file;
  }

  @Test
  void passesWithinTheToleranceAndAppendsTheTableToTheJobSummary() throws Exception {
    Path summary = dir.resolve("summary.md");
    Files.writeString(summary, "earlier step\n");

    int code =
        run(
            summary.toString(),
            "--spec",
            TrainingFixtures.CHURN_SPEC.toString(),
            "--candidate",
            candidateWithPrAuc("0.6600").toString());

    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    String table = out.toString(StandardCharsets.UTF_8);
    assertTrue(
        table.contains("| pr_auc | 0.6755 | 0.6600 | -0.0155 | pass (drop <= 0.020) |"), table);
    assertTrue(table.contains("Result: pass."), table);
    assertEquals("earlier step\n" + table + "\n", Files.readString(summary));
  }

  @Test
  void failsWithExit3WhenAGatedMetricDropsBeyondTheTolerance() throws Exception {
    int code =
        run(
            null,
            "--spec",
            TrainingFixtures.CHURN_SPEC.toString(),
            "--candidate",
            candidateWithPrAuc("0.6500").toString());

    assertEquals(3, code);
    String table = out.toString(StandardCharsets.UTF_8);
    assertTrue(
        table.contains("| pr_auc | 0.6755 | 0.6500 | -0.0255 | **FAIL** (drop <= 0.020) |"), table);
    assertTrue(table.contains("Result: **regressed**"), table);
  }

  @Test
  void aMissingReferenceIsAnErrorThatSaysHowToAdoptOne() throws Exception {
    int code =
        run(
            null,
            "--spec",
            TrainingFixtures.CHURN_SPEC.toString(),
            "--candidate",
            RELEASED.toString(),
            "--reference",
            dir.resolve("none.json").toString());

    assertEquals(1, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("no reference card at"));
  }

  @Test
  void theCommittedModelsMatchTheirReferences() {
    assertEquals(
        0,
        run(
            null,
            "--spec",
            TrainingFixtures.IRIS_SPEC.toString(),
            "--candidate",
            "src/main/training/reference/iris-sgd.model-card.json"));
  }
}
