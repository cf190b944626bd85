package dev.predictfn.support;

import dev.predictfn.bundle.ModelBundleWriter;
import dev.predictfn.bundle.ModelCardJson;
import dev.predictfn.training.ModelTrainer;
import dev.predictfn.training.TrainingSpec;
import dev.predictfn.training.TrainingSpecs;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Models trained from the Iris spec with its data or settings changed on purpose: sound retrainings
 * and healthy-but-wrong models for the release gates' tests. Each is written as a bundle ({@code
 * DIR/model}) with the held-out rows of its own split ({@code DIR/candidate.csv}), as a build
 * writes them.
 */
public final class IrisVariants {
  public static final Path SPEC = Path.of("src/main/training/iris.spec.json");
  private static final Path DATA = Path.of("src/main/training/data/iris/v1.csv");
  private static final JsonMapper JSON = JsonMapper.createDefault();

  private IrisVariants() {}

  /** The rows of v1.csv as cells, the header first. */
  public static List<String[]> rows() {
    try {
      List<String[]> rows = new ArrayList<>();
      for (String line : Files.readAllLines(DATA)) {
        if (!line.isBlank()) {
          rows.add(line.split(",", -1));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Trains the Iris spec, edited by SPEC_EDIT, on v1.csv's rows edited by DATA_EDIT (header
   * included), into DIR.
   */
  public static Path train(
      Path dir,
      String version,
      UnaryOperator<TrainingSpec> specEdit,
      UnaryOperator<List<String[]>> dataEdit) {
    try {
      TrainingSpec spec = specEdit.apply(TrainingSpecs.read(JSON, SPEC));
      StringBuilder csv = new StringBuilder();
      for (String[] row : dataEdit.apply(rows())) {
        csv.append(String.join(",", row)).append('\n');
      }
      ModelTrainer.TrainedModel trained =
          new ModelTrainer()
              .train(
                  spec,
                  "data/iris/variant.csv",
                  csv.toString().getBytes(StandardCharsets.UTF_8),
                  version,
                  OffsetDateTime.parse("2026-11-22T00:00Z"));
      new ModelBundleWriter(new ModelCardJson())
          .write(dir.resolve("model"), trained.card(), trained.modelBytes());
      Files.write(dir.resolve("candidate.csv"), trained.comparisonSet());
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The spec with another split seed (a sound retraining). */
  public static TrainingSpec withSeed(TrainingSpec spec, long seed) {
    return with(spec, new TrainingSpec.Split(spec.split().testFraction(), seed), spec.trainer());
  }

  /** The spec with another number of epochs. */
  public static TrainingSpec withEpochs(TrainingSpec spec, int epochs) {
    TrainingSpec.SgdSettings t = spec.trainer();
    return with(
        spec,
        spec.split(),
        new TrainingSpec.SgdSettings(
            t.optimiser(), epochs, t.learningRate(), t.epsilon(), t.minibatchSize()));
  }

  private static TrainingSpec with(
      TrainingSpec spec, TrainingSpec.Split split, TrainingSpec.SgdSettings trainer) {
    return new TrainingSpec(
        spec.jsonSchema(),
        spec.modelName(),
        spec.modelVersion(),
        spec.data(),
        spec.labelColumn(),
        spec.positiveLabel(),
        spec.features(),
        split,
        trainer,
        spec.gates(),
        spec.reference());
  }

  /** The join bug of issue 21: virginica with petal_width below 2.0 labelled versicolor. */
  public static List<String[]> relabelSubgroup(List<String[]> rows) {
    for (String[] row : rows.subList(1, rows.size())) {
      if (row[4].equals("virginica") && Double.parseDouble(row[3]) < 2.0) {
        row[4] = "versicolor";
      }
    }
    return rows;
  }

  /** sepal_length's and petal_length's values exchanged under the same header. */
  public static List<String[]> swapColumns(List<String[]> rows) {
    for (String[] row : rows.subList(1, rows.size())) {
      String first = row[0];
      row[0] = row[2];
      row[2] = first;
    }
    return rows;
  }

  /** Every label moved to the next: setosa to versicolor, versicolor to virginica, and round. */
  public static List<String[]> permuteLabels(List<String[]> rows) {
    List<String> labels = List.of("setosa", "versicolor", "virginica");
    for (String[] row : rows.subList(1, rows.size())) {
      row[4] = labels.get((labels.indexOf(row[4]) + 1) % labels.size());
    }
    return rows;
  }
}
