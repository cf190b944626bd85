package dev.predictfn.training;

import dev.predictfn.model.ModelBundleWriter;
import dev.predictfn.model.ModelCard;
import dev.predictfn.model.ModelCardJson;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a model from a spec and writes its bundle; the Maven build runs it to make the bundled
 * model ({@code ./mvnw process-classes -Dmodel=churn} trains {@code src/main/training/churn.spec.json}).
 *
 * <pre>
 * java -cp target/classes:... dev.predictfn.training.TrainModelCommand \
 *     --spec src/main/training/iris.spec.json --output target/model \
 *     [--model-version 0.1.0] [--trained-at 2026-11-22T00:00:00Z]
 * </pre>
 *
 * <p>Prints progress while training and a summary table at the end. Exit codes: 0 bundle written,
 * 1 error (bad spec, data or arguments; the message names file, line and column), 3 a quality gate
 * failed. Nothing is written unless every gate passes, and a bundle is replaced atomically.
 */
public final class TrainModelCommand {
  static final int EXIT_OK = 0;
  static final int EXIT_ERROR = 1;
  static final int EXIT_GATE_FAILED = 3;

  private TrainModelCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> options;
    try {
      options =
          CommandLine.parse(
              args, List.of("--spec", "--output"), List.of("--model-version", "--trained-at"));
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println(
          "usage: TrainModelCommand --spec FILE --output DIR [--model-version V] "
              + "[--trained-at ISO-8601|epoch-seconds]");
      return EXIT_ERROR;
    }
    try {
      Path specFile = Path.of(options.get("--spec"));
      Path output = Path.of(options.get("--output"));
      OffsetDateTime trainedAt =
          parseTime(options.getOrDefault("--trained-at", "1980-01-01T00:00:00Z"));

      JsonMapper mapper = JsonMapper.createDefault();
      TrainingSpec spec = TrainingSpecs.read(mapper, specFile);
      String version = options.getOrDefault("--model-version", spec.modelVersion());
      if (version == null || version.isBlank()) {
        throw new TrainingException(
            specFile.getFileName() + ": model_version is not set and --model-version is missing");
      }
      byte[] csv = Files.readAllBytes(TrainingSpecs.resolve(specFile, spec.data()));

      out.printf(
          Locale.ROOT,
          "training %s %s from %s (%d bytes)%n",
          spec.modelName(),
          version,
          spec.data(),
          csv.length);
      long start = System.nanoTime();
      ModelTrainer.TrainedModel trained =
          new ModelTrainer().train(spec, spec.data(), csv, version, trainedAt, out);
      long millis = (System.nanoTime() - start) / 1_000_000;
      TrainingSummary.print(out, trained.card(), millis);

      if (!trained.passedGates()) {
        for (ModelCard.QualityGate gate : trained.card().evaluation().qualityGates()) {
          if (!gate.passed()) {
            err.printf(
                Locale.ROOT,
                "quality gate failed: held-out %s %.4f is below its minimum %.4f (%s, gates);"
                    + " no bundle written%n",
                gate.metric(),
                gate.value(),
                gate.minimum(),
                specFile);
          }
        }
        return EXIT_GATE_FAILED;
      }
      new ModelBundleWriter(new ModelCardJson(mapper))
          .write(output, trained.card(), trained.modelBytes());
      out.println("bundle written to " + output);
      return EXIT_OK;
    } catch (TrainingException e) {
      err.println("training failed: " + e.getMessage());
      return EXIT_ERROR;
    } catch (NoSuchFileException e) {
      err.println("training failed: file not found: " + e.getFile());
      return EXIT_ERROR;
    } catch (IOException | RuntimeException e) {
      err.println("training failed: " + e);
      return EXIT_ERROR;
    }
  }

  /** Accepts what Maven's {@code project.build.outputTimestamp} accepts: ISO-8601 or seconds. */
  static OffsetDateTime parseTime(String value) {
    try {
      if (value.chars().allMatch(Character::isDigit)) {
        return Instant.ofEpochSecond(Long.parseLong(value)).atOffset(ZoneOffset.UTC);
      }
      return OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new TrainingException(
          "--trained-at '"
              + value
              + "' is neither ISO-8601 (2026-01-31T00:00:00Z) nor epoch seconds");
    }
  }
}
