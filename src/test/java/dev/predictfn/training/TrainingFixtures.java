package dev.predictfn.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The example data of {@code src/main/training}, for tests in any package. */
public final class TrainingFixtures {
  public static final Path IRIS_SPEC = Path.of("src/main/training/iris.spec.json");
  public static final Path CHURN_SPEC = Path.of("src/main/training/churn.spec.json");

  private TrainingFixtures() {}

  /** The 150 Iris v1 rows as validated rows (all four features are numeric). */
  public static List<double[]> irisRows() throws IOException {
    return Files.readString(Path.of("src/main/training/data/iris/v1.csv"), StandardCharsets.UTF_8)
        .lines()
        .skip(1)
        .map(
            line -> {
              String[] cells = line.split(",");
              double[] row = new double[4];
              for (int i = 0; i < 4; i++) {
                row[i] = Double.parseDouble(cells[i]);
              }
              return row;
            })
        .toList();
  }
}
