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
 * model.
 *
 * <pre>
 * java -cp target/classes:... dev.predictfn.training.TrainModelCommand \
 *     --spec src/main/training/iris.spec.json --output target/classes/model \
 *     --model-version 0.1.0 --trained-at 2026-11-22T00:00:00Z
 * </pre>
 *
 * <p>Exit codes: 0 bundle written, 1 error (bad spec, data or arguments), 3 quality gate failed (no
 * bundle written).
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
              args, List.of("--spec", "--output", "--model-version"), List.of("--trained-at"));
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println(
          "usage: TrainModelCommand --spec FILE --output DIR --model-version V "
              + "[--trained-at ISO-8601|epoch-seconds]");
      return EXIT_ERROR;
    }
    try {
      Path specFile = Path.of(options.get("--spec"));
      Path output = Path.of(options.get("--output"));
      String version = options.get("--model-version");
      OffsetDateTime trainedAt =
          parseTime(options.getOrDefault("--trained-at", "1980-01-01T00:00:00Z"));

      JsonMapper mapper = JsonMapper.createDefault();
      TrainingSpec spec = mapper.readValue(Files.readAllBytes(specFile), TrainingSpec.class);
      spec.validate(specFile.getFileName().toString());
      byte[] csv = Files.readAllBytes(specFile.toAbsolutePath().getParent().resolve(spec.data()));

      long start = System.nanoTime();
      ModelTrainer.TrainedModel trained =
          new ModelTrainer().train(spec, spec.data(), csv, version, trainedAt);
      long millis = (System.nanoTime() - start) / 1_000_000;
      printSummary(out, trained.card(), millis);

      if (!trained.passedGate()) {
        ModelCard.QualityGate gate = trained.card().evaluation().qualityGate();
        err.printf(
            Locale.ROOT,
            "quality gate failed: held-out accuracy %.4f is below gate.min_accuracy %.4f in %s;"
                + " no bundle written%n",
            trained.card().evaluation().accuracy(),
            gate.minimum(),
            specFile);
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

  private static void printSummary(PrintStream out, ModelCard card, long millis) {
    ModelCard.Evaluation eval = card.evaluation();
    out.printf(
        Locale.ROOT,
        "trained %s %s on %d rows (%d held out) in %d ms: accuracy %.4f, macro F1 %.4f,"
            + " log loss %.4f%n",
        card.modelName(),
        card.modelVersion(),
        card.trainingData().trainRows(),
        card.trainingData().testRows(),
        millis,
        eval.accuracy(),
        eval.macroF1(),
        eval.logLoss());
    out.printf(
        Locale.ROOT, "  %-14s %9s %9s %9s %8s%n", "label", "precision", "recall", "f1", "support");
    eval.perClass()
        .forEach(
            (label, m) ->
                out.printf(
                    Locale.ROOT,
                    "  %-14s %9.4f %9.4f %9.4f %8d%n",
                    label,
                    m.precision(),
                    m.recall(),
                    m.f1(),
                    m.support()));
    out.printf(
        Locale.ROOT,
        "  quality gate: accuracy >= %.2f %s%n",
        eval.qualityGate().minimum(),
        eval.qualityGate().passed() ? "passed" : "FAILED");
  }
}
