package dev.predictfn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.training.ChurnTestData;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline drift check against the committed reference cards: no drift on data like the training
 * data, exit 2 naming the feature on data with a planted shift, exit 1 on bad input.
 */
class DriftCommandTest {
  private static final String IRIS_CARD = "src/main/training/reference/iris-sgd.model-card.json";
  private static final String CHURN_CARD = "src/main/training/reference/churn-sgd.model-card.json";
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ToolRun.run(out, err, Map.of(), "drift", args);
  }

  private String line(String feature) {
    return Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n"))
        .filter(l -> l.startsWith(feature + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError(feature + " missing from\n" + out));
  }

  private Path churn(String name, long seed, double priceIncrease) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, ChurnTestData.generate(2000, seed, priceIncrease));
    return file;
  }

  @Test
  void irisV1HasNoDriftAgainstTheModelTrainedOnIt() {
    assertEquals(0, run("--card", IRIS_CARD, "--data", "src/main/training/data/iris/v1.csv"));
    assertTrue(line("petal_length").endsWith("ok"), line("petal_length"));
  }

  @Test
  void irisV2sShiftedPetalLengthIsDrift() {
    assertEquals(2, run("--card", IRIS_CARD, "--data", "src/main/training/data/iris/v2.csv"));
    assertTrue(line("petal_length").endsWith("DRIFT"), line("petal_length"));
    assertTrue(line("sepal_length").endsWith("ok"), line("sepal_length"));
  }

  @Test
  void freshChurnDataFromAnotherSeedHasNoDrift() throws Exception {
    assertEquals(
        0,
        run("--card", CHURN_CARD, "--data", churn("fresh.csv", 99, 0).toString()),
        out.toString());
  }

  @Test
  void aPlantedPriceIncreaseIsDriftInMonthlyChargesOnly() throws Exception {
    assertEquals(2, run("--card", CHURN_CARD, "--data", churn("shift.csv", 99, 15).toString()));
    assertTrue(line("monthly_charges").endsWith("DRIFT"), line("monthly_charges"));
    assertTrue(line("tenure_months").endsWith("ok"), line("tenure_months"));
    assertTrue(line("contract").endsWith("ok"), line("contract"));
  }

  @Test
  void unseenCategoriesCountAsOutOfRange() throws Exception {
    String csv = ChurnTestData.generate(400, 5, 0).replace(",electronic-check,", ",crypto,");
    Path file = dir.resolve("crypto.csv");
    Files.writeString(file, csv);

    assertEquals(2, run("--card", CHURN_CARD, "--data", file.toString()));
    assertTrue(line("payment_method").endsWith("DRIFT"), line("payment_method"));
  }

  @Test
  void aBadCellIsAnErrorNamingLineAndColumn() throws Exception {
    Path file = dir.resolve("bad.csv");
    Files.writeString(
        file, "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n5,x,1,1\n");

    assertEquals(1, run("--card", IRIS_CARD, "--data", file.toString()));
    assertTrue(
        err.toString(StandardCharsets.UTF_8)
            .contains("bad.csv line 3, column 2 (sepal_width): 'x' is not a finite number"),
        err.toString());
  }

  @Test
  void aMissingColumnIsAnError() throws Exception {
    Path file = dir.resolve("short.csv");
    Files.writeString(file, "sepal_length,sepal_width\n5.1,3.5\n");

    assertEquals(1, run("--card", IRIS_CARD, "--data", file.toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("missing column 'petal_length'"));
  }

  @Test
  void aThresholdThatIsNotANumberIsRejectedWithoutAStackTrace() {
    assertEquals(1, run("--card", IRIS_CARD, "--data", "x.csv", "--psi-threshold", "0,2"));
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertTrue(
        stderr.contains("Invalid value for option '--psi-threshold': '0,2' is not a double"),
        stderr);
    assertFalse(stderr.contains("Exception"), stderr);
  }
}
