package dev.predictfn.training;

import dev.predictfn.bundle.ModelBundleWriter;
import dev.predictfn.bundle.ModelCardJson;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** The example data of {@code src/main/training}, for tests in any package. */
public final class TrainingFixtures {
  public static final Path IRIS_SPEC = Path.of("src/main/training/iris.spec.json");
  public static final Path CHURN_SPEC = Path.of("src/main/training/churn.spec.json");

  private TrainingFixtures() {}

  /** The churn example's bundle, version 2.0.0, trained and written into {@code bundle}. */
  public static Path trainChurn(Path bundle) throws IOException {
    JsonMapper mapper = JsonMapper.createDefault();
    TrainingSpec spec = mapper.readValue(Files.readAllBytes(CHURN_SPEC), TrainingSpec.class);
    byte[] csv = Files.readAllBytes(CHURN_SPEC.resolveSibling(spec.data()));
    ModelTrainer.TrainedModel trained =
        new ModelTrainer()
            .train(spec, spec.data(), csv, "2.0.0", OffsetDateTime.parse("2026-01-01T00:00Z"));
    new ModelBundleWriter(new ModelCardJson()).write(bundle, trained.card(), trained.modelBytes());
    return bundle;
  }

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

  /** Iris-shaped columns whose labels are independent of the features. */
  public static byte[] noiseCsv() {
    Random random = new Random(7);
    StringBuilder csv =
        new StringBuilder("sepal_length,sepal_width,petal_length,petal_width,species\n");
    String[] labels = {"a", "b", "c"};
    for (int i = 0; i < 150; i++) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%.2f,%.2f,%.2f,%.2f,%s%n",
              random.nextDouble() * 8,
              random.nextDouble() * 4,
              random.nextDouble() * 7,
              random.nextDouble() * 2.5,
              labels[i % 3]));
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }
}
