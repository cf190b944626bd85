package dev.predictfn.tools;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.bundle.ModelCard;
import dev.predictfn.bundle.ModelCardJson;
import dev.predictfn.drift.DriftReport;
import dev.predictfn.drift.DriftTally;
import dev.predictfn.training.CsvRecords;
import dev.predictfn.training.TrainingException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Compares a CSV of recent inputs with a model card's training statistics and prints a per-feature
 * report (PSI and out-of-range share). The CSV needs a column per card feature (others, such as the
 * label, are ignored).
 */
@Command(
    name = "drift",
    mixinStandardHelpOptions = true,
    description = {
      "Compares a CSV of recent inputs with a model card's training statistics and prints each"
          + " feature's PSI and out-of-range share.",
      "The CSV needs a column per card feature; other columns, such as the label, are ignored."
    },
    exitCodeListHeading = "%nExit codes (as retraining jobs expect):%n",
    exitCodeList = {
      "0:no drift",
      "1:error: bad arguments, card or CSV (the message names file, line and column)",
      "2:a feature drifted over a threshold"
    })
final class DriftCommand implements Callable<Integer> {
  static final int EXIT_DRIFT = 2;

  private final PrintStream out;

  @Option(
      names = "--card",
      required = true,
      paramLabel = "FILE",
      description = "The model card (model-card.json) whose training statistics are the baseline.")
  private Path cardFile;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "CSV",
      description = "Recent inputs, with a header row naming the card's features.")
  private Path data;

  @Option(
      names = "--psi-threshold",
      paramLabel = "PSI",
      defaultValue = "0.2",
      description = "A feature whose PSI reaches this has drifted (default: ${DEFAULT-VALUE}).")
  private double psiThreshold;

  @Option(
      names = "--max-out-of-range",
      paramLabel = "SHARE",
      defaultValue = "0.05",
      description =
          "A feature whose share of values outside the training range reaches this has drifted"
              + " (default: ${DEFAULT-VALUE}).")
  private double maxOutOfRange;

  DriftCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws IOException {
    ModelCard card = new ModelCardJson().read(Files.readAllBytes(cardFile));
    if (card.schema() == null) {
      throw new TrainingException(cardFile + ": the card has no feature schema");
    }
    DriftReport report =
        compare(
            card,
            data.getFileName().toString(),
            Files.readAllBytes(data),
            psiThreshold,
            maxOutOfRange);
    print(out, data.toString(), card, report);
    return report.drifted() ? EXIT_DRIFT : Tools.EXIT_OK;
  }

  /** The report as this command prints it: which data against which card, then the table. */
  static void print(PrintStream out, String data, ModelCard card, DriftReport report) {
    out.printf("drift of %s against %s %s%n", data, card.modelName(), card.modelVersion());
    report.print(out);
  }

  /** The report of {@code csv} against {@code card}. */
  static DriftReport compare(
      ModelCard card, String fileName, byte[] csv, double psiThreshold, double outOfRange) {
    InputSchema schema = InputSchema.of(card);
    CsvRecords records = CsvRecords.parse(fileName, csv);
    if (records.records().isEmpty()) {
      throw new TrainingException(fileName + ": no data rows after the header");
    }
    int[] columns = new int[schema.size()];
    for (int f = 0; f < schema.size(); f++) {
      String name = schema.names().get(f);
      columns[f] = records.header().indexOf(name);
      if (columns[f] < 0) {
        throw new TrainingException(
            fileName
                + " line 1: missing column '"
                + name
                + "' (header has "
                + records.header()
                + ")");
      }
    }
    DriftTally tally = new DriftTally(schema);
    for (int r = 0; r < records.records().size(); r++) {
      double[] row = new double[schema.size()];
      for (int f = 0; f < schema.size(); f++) {
        String cell = records.records().get(r)[columns[f]];
        row[f] =
            value(
                schema,
                f,
                cell,
                fileName,
                records.lines().get(r),
                columns[f],
                schema.names().get(f));
      }
      tally.add(row);
    }
    return tally.report(psiThreshold, outOfRange);
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
