package dev.predictfn.tools;

import dev.predictfn.training.ChurnDataGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes the synthetic churn table of {@link ChurnDataGenerator} to a CSV file. */
@Command(
    name = "churn-data",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a synthetic customer-churn table (deterministic for a seed), the churn example's"
          + " data. src/main/training/data/churn/v1.csv is --rows 5000 --seed 7."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:file written", "1:error: bad arguments or an unwritable file"})
final class ChurnDataCommand implements Callable<Integer> {
  private final PrintStream out;

  @Option(names = "--rows", required = true, paramLabel = "N", description = "Rows to write.")
  private int rows;

  @Option(
      names = "--seed",
      required = true,
      paramLabel = "SEED",
      description = "The random seed; the same seed writes the same file.")
  private long seed;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "The CSV file.")
  private Path output;

  @Option(
      names = "--price-increase",
      paramLabel = "AMOUNT",
      defaultValue = "0",
      description =
          "Added to every monthly charge before churn is drawn: a planted shift for drift checks"
              + " (default: ${DEFAULT-VALUE}).")
  private double priceIncrease;

  ChurnDataCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws IOException {
    if (rows < 1) {
      throw new IllegalArgumentException("--rows must be at least 1, but it is " + rows);
    }
    Path parent = output.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    String csv = ChurnDataGenerator.generate(rows, seed, priceIncrease);
    Files.writeString(output, csv, StandardCharsets.UTF_8);
    long churned = csv.lines().filter(l -> l.endsWith(",yes")).count();
    out.printf(
        Locale.ROOT,
        "wrote %d rows to %s (%.1f%% churned)%n",
        rows,
        output,
        100.0 * churned / rows);
    return Tools.EXIT_OK;
  }
}
