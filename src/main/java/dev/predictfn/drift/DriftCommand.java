package dev.predictfn.drift;

import dev.predictfn.model.FeatureSchema;
import dev.predictfn.model.InputSchema;
import dev.predictfn.model.ModelCard;
import dev.predictfn.model.ModelCardJson;
import dev.predictfn.training.CommandLine;
import dev.predictfn.training.CsvRecords;
import dev.predictfn.training.TrainingException;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares a CSV of recent inputs with a model card's training statistics and prints a per-feature
 * report (PSI and out-of-range share).
 *
 * <pre>
 * java -cp ... dev.predictfn.drift.DriftCommand --card target/model-bundle/model/model-card.json \
 *     --data recent.csv [--psi-threshold 0.2] [--max-out-of-range 0.05]
 * </pre>
 *
 * <p>The CSV needs a column per card feature (others, such as the label, are ignored). Exit codes,
 * as the retraining jobs expect: 0 no drift, 2 drift over a threshold, 1 error (the message names
 * file, line and column).
 */
public final class DriftCommand {
  static final int EXIT_NO_DRIFT = 0;
  static final int EXIT_ERROR = 1;
  static final int EXIT_DRIFT = 2;

  private DriftCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> options;
    try {
      options =
          CommandLine.parse(
              args, List.of("--card", "--data"), List.of("--psi-threshold", "--max-out-of-range"));
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println(
          "usage: DriftCommand --card model-card.json --data recent.csv"
              + " [--psi-threshold 0.2] [--max-out-of-range 0.05]");
      return EXIT_ERROR;
    }
    try {
      ModelCard card =
          new ModelCardJson(JsonMapper.createDefault())
              .read(Files.readAllBytes(Path.of(options.get("--card"))));
      if (card.schema() == null) {
        throw new TrainingException(options.get("--card") + ": the card has no feature schema");
      }
      Path data = Path.of(options.get("--data"));
      DriftReport report =
          compare(
              card,
              data.getFileName().toString(),
              Files.readAllBytes(data),
              Double.parseDouble(options.getOrDefault("--psi-threshold", "0.2")),
              Double.parseDouble(options.getOrDefault("--max-out-of-range", "0.05")));
      out.printf("drift of %s against %s %s%n", data, card.modelName(), card.modelVersion());
      report.print(out);
      return report.drifted() ? EXIT_DRIFT : EXIT_NO_DRIFT;
    } catch (TrainingException e) {
      err.println("drift check failed: " + e.getMessage());
      return EXIT_ERROR;
    } catch (NoSuchFileException e) {
      err.println("drift check failed: file not found: " + e.getFile());
      return EXIT_ERROR;
    } catch (IOException | RuntimeException e) {
      err.println("drift check failed: " + e);
      return EXIT_ERROR;
    }
  }

  /** The report of {@code csv} against {@code card}. */
  static DriftReport compare(
      ModelCard card, String fileName, byte[] csv, double psiThreshold, double outOfRange) {
    InputSchema schema = InputSchema.of(card);
    List<FeatureBins> bins = FeatureBins.of(schema);
    CsvRecords records = CsvRecords.parse(fileName, csv);
    if (records.records().isEmpty()) {
      throw new TrainingException(fileName + ": no data rows after the header");
    }
    List<DriftReport.FeatureDrift> features = new ArrayList<>();
    for (int f = 0; f < schema.size(); f++) {
      String name = schema.names().get(f);
      int column = records.header().indexOf(name);
      if (column < 0) {
        throw new TrainingException(
            fileName + " line 1: missing column '" + name + "' (header has " + records.header() + ")");
      }
      FeatureBins featureBins = bins.get(f);
      long[] counts = new long[featureBins.size()];
      long outside = 0;
      for (int r = 0; r < records.records().size(); r++) {
        String cell = records.records().get(r)[column];
        double value = value(schema, f, cell, fileName, records.lines().get(r), column, name);
        counts[featureBins.bin(value)]++;
        outside += featureBins.outOfRange(value) ? 1 : 0;
      }
      FeatureSchema feature = schema.features().get(f);
      features.add(
          new DriftReport.FeatureDrift(
              name,
              feature.kind(),
              Psi.of(featureBins.expected(), counts),
              (double) outside / records.records().size()));
    }
    return new DriftReport(records.records().size(), features, psiThreshold, outOfRange);
  }

  private static double value(
      InputSchema schema, int f, String cell, String file, int line, int column, String name) {
    String where = file + " line " + line + ", column " + (column + 1) + " (" + name + ")";
    if (schema.isCategorical(f)) {
      int index = schema.categories(f).indexOf(cell);
      return index >= 0 ? index : InputSchema.UNKNOWN_CATEGORY;
    }
    try {
      double value = Double.parseDouble(cell);
      if (Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new TrainingException(where + ": '" + cell + "' is not a finite number");
  }
}
