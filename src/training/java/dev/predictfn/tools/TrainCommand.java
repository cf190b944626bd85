package dev.predictfn.tools;

import dev.predictfn.bundle.ModelBundleWriter;
import dev.predictfn.bundle.ModelCard;
import dev.predictfn.bundle.ModelCardJson;
import dev.predictfn.training.ModelTrainer;
import dev.predictfn.training.TrainingException;
import dev.predictfn.training.TrainingSpec;
import dev.predictfn.training.TrainingSpecs;
import dev.predictfn.training.TrainingSummary;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Trains a model from a spec and writes its bundle; the Maven build runs it to make the bundled
 * model ({@code ./mvnw process-classes -Dmodel=churn} trains {@code
 * src/main/training/churn.spec.json}). Nothing is written unless every gate passes, and a bundle is
 * replaced atomically.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains a model from a training spec and writes its bundle (model-card.json and"
          + " model.tribuo).",
      "Prints progress while training and a summary table at the end."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:bundle written",
      "1:error: bad spec, data or arguments (the message names file, line and column)",
      "3:a quality gate failed; nothing written"
    })
final class TrainCommand implements Callable<Integer> {
  static final int EXIT_GATE_FAILED = 3;

  private final PrintStream out;
  private final PrintStream err;

  @Option(
      names = "--spec",
      required = true,
      paramLabel = "FILE",
      description = "The training spec (JSON), e.g. src/main/training/iris.spec.json.")
  private Path spec;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "The bundle directory to write (replaced as a whole).")
  private Path output;

  @Option(
      names = "--comparison-dir",
      paramLabel = "DIR",
      description = {
        "Also write the comparison sets the release's shadow gate uses (cloudrun/compare.sh):"
            + " DIR/candidate.csv, this model's held-out rows, and DIR/released.csv, a copy of"
            + " the released model's rows that the spec's reference.comparison_set names.",
        "Keep DIR with the build's outputs, out of the served image. Default: none written."
      })
  private Path comparisonDir;

  @Option(
      names = "--model-version",
      paramLabel = "VERSION",
      description = "The model's version; default: the spec's model_version.")
  private String modelVersion;

  @Option(
      names = "--trained-at",
      paramLabel = "TIME",
      defaultValue = "1980-01-01T00:00:00Z",
      converter = TrainedAtConverter.class,
      description =
          "When the model counts as trained, for reproducible bundles: ISO-8601 or epoch seconds,"
              + " as Maven's project.build.outputTimestamp (default: ${DEFAULT-VALUE}).")
  private OffsetDateTime trainedAt;

  TrainCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws IOException {
    JsonMapper mapper = JsonMapper.createDefault();
    TrainingSpec trainingSpec = TrainingSpecs.read(mapper, spec);
    String version = modelVersion != null ? modelVersion : trainingSpec.modelVersion();
    if (version == null || version.isBlank()) {
      throw new TrainingException(
          spec.getFileName() + ": model_version is not set and --model-version is missing");
    }
    byte[] csv = Files.readAllBytes(TrainingSpecs.resolve(spec, trainingSpec.data()));
    out.printf(
        Locale.ROOT,
        "training %s %s from %s (%d bytes)%n",
        trainingSpec.modelName(),
        version,
        trainingSpec.data(),
        csv.length);
    long start = System.nanoTime();
    ModelTrainer.TrainedModel trained =
        new ModelTrainer().train(trainingSpec, trainingSpec.data(), csv, version, trainedAt, out);
    long millis = (System.nanoTime() - start) / 1_000_000;
    TrainingSummary.print(out, trained.card(), millis);

    if (!trained.passedGates()) {
      reportFailedGates(trained.card(), spec, err);
      err.println("no bundle written");
      return EXIT_GATE_FAILED;
    }
    new ModelBundleWriter(new ModelCardJson()).write(output, trained.card(), trained.modelBytes());
    out.println("bundle written to " + output);
    if (comparisonDir != null) {
      writeComparisonSets(spec, trainingSpec, trained, comparisonDir, out);
    }
    return Tools.EXIT_OK;
  }

  /** One line per training gate {@code card} failed, naming the spec that sets it. */
  static void reportFailedGates(ModelCard card, Path spec, PrintStream err) {
    for (ModelCard.QualityGate gate : card.evaluation().qualityGates()) {
      if (!gate.passed()) {
        err.printf(
            Locale.ROOT,
            "quality gate failed: held-out %s %.4f is below its minimum %.4f (%s, gates)%n",
            gate.metric(),
            gate.value(),
            gate.minimum(),
            spec);
      }
    }
  }

  /**
   * Writes {@code dir/candidate.csv}, the trained model's held-out rows, and {@code
   * dir/released.csv}, a copy of the released model's rows that the spec names.
   */
  static void writeComparisonSets(
      Path spec,
      TrainingSpec trainingSpec,
      ModelTrainer.TrainedModel trained,
      Path comparisonDir,
      PrintStream out)
      throws IOException {
    Files.createDirectories(comparisonDir);
    Files.write(comparisonDir.resolve("candidate.csv"), trained.comparisonSet());
    Path released = comparisonDir.resolve("released.csv");
    String named =
        trainingSpec.reference() == null ? null : trainingSpec.reference().comparisonSet();
    if (named == null) {
      Files.deleteIfExists(released);
      out.println(
          "comparison set written to " + comparisonDir + " (the spec names no released one)");
      return;
    }
    Path source = TrainingSpecs.resolve(spec, named);
    if (!Files.isRegularFile(source)) {
      throw new TrainingException(
          spec.getFileName()
              + ": reference.comparison_set "
              + named
              + " does not exist; to adopt this build's rows as the released ones, copy "
              + comparisonDir.resolve("candidate.csv")
              + " there (RUNBOOK.md, \"Retraining and the reference gate\")");
    }
    Files.copy(source, released, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    out.println("comparison sets written to " + comparisonDir + " (candidate.csv, released.csv)");
  }

  /** Accepts what Maven's {@code project.build.outputTimestamp} accepts: ISO-8601 or seconds. */
  static final class TrainedAtConverter implements ITypeConverter<OffsetDateTime> {
    @Override
    public OffsetDateTime convert(String value) {
      try {
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
          return Instant.ofEpochSecond(Long.parseLong(value)).atOffset(ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException | NumberFormatException e) {
        throw new TypeConversionException(
            "'" + value + "' is neither ISO-8601 (2026-01-31T00:00:00Z) nor epoch seconds");
      }
    }
  }
}
