package dev.predictfn.tools;

import dev.predictfn.bundle.ModelCard;
import dev.predictfn.bundle.ModelCardJson;
import dev.predictfn.training.TrainingException;
import dev.predictfn.training.TrainingSpec;
import dev.predictfn.training.TrainingSpecs;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Compares a newly trained model's card with the released model's card (the spec's {@code
 * reference}) and fails when a gated metric dropped by more than the spec's tolerance. Prints a
 * side-by-side Markdown table, also appended to the file {@code $GITHUB_STEP_SUMMARY} names when it
 * is set, so CI shows it on the run's page.
 */
@Command(
    name = "gate",
    mixinStandardHelpOptions = true,
    description = {
      "Compares a candidate model card with the released one that the spec names (its"
          + " \"reference\") and fails when a gated metric dropped beyond the spec's tolerance.",
      "Prints a Markdown table, appended to $GITHUB_STEP_SUMMARY too when that is set."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:no gated metric dropped beyond the tolerance, or the spec names no reference",
      "1:error: a missing or unreadable spec or card",
      "3:a gated metric dropped beyond the tolerance"
    })
final class GateCommand implements Callable<Integer> {
  static final int EXIT_REGRESSED = 3;
  private static final List<String> SHOWN =
      List.of("accuracy", "macro_f1", "roc_auc", "pr_auc", "log_loss");

  private final PrintStream out;
  private final String summaryFile;

  @Option(
      names = "--spec",
      required = true,
      paramLabel = "FILE",
      description = "The training spec that names the reference card and the gated metrics.")
  private Path spec;

  @Option(
      names = "--candidate",
      required = true,
      paramLabel = "CARD",
      description = "The new model's model-card.json.")
  private Path candidateCard;

  @Option(
      names = "--reference",
      paramLabel = "CARD",
      description = "The released model's card; default: the one the spec's reference names.")
  private Path reference;

  GateCommand(PrintStream out, PrintStream err, String summaryFile) {
    this.out = out;
    this.summaryFile = summaryFile;
  }

  @Override
  public Integer call() throws IOException {
    JsonMapper mapper = JsonMapper.createDefault();
    TrainingSpec trainingSpec = TrainingSpecs.read(mapper, spec);
    if (trainingSpec.reference() == null) {
      out.println(spec.getFileName() + " names no reference model; reference gate skipped");
      return Tools.EXIT_OK;
    }
    Path referenceFile =
        reference != null
            ? reference
            : TrainingSpecs.resolve(spec, trainingSpec.reference().card());
    ModelCardJson json = new ModelCardJson();
    ModelCard candidate = json.read(Files.readAllBytes(candidateCard));
    ModelCard released;
    try {
      released = json.read(Files.readAllBytes(referenceFile));
    } catch (NoSuchFileException e) {
      throw new TrainingException(
          "no reference card at "
              + referenceFile
              + "; to adopt the candidate as the reference, copy "
              + candidateCard
              + " there (RUNBOOK.md, \"Retraining and the reference gate\")");
    }
    Comparison comparison = compare(trainingSpec, candidate, released);
    String table = comparison.table();
    out.print(table);
    if (summaryFile != null && !summaryFile.isBlank()) {
      Files.writeString(
          Path.of(summaryFile),
          table + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    return comparison.regressed() ? EXIT_REGRESSED : Tools.EXIT_OK;
  }

  /** The side-by-side table of a gate, and whether a gated metric dropped beyond tolerance. */
  record Comparison(String table, boolean regressed) {}

  /** Compares {@code candidate} with {@code released} on the metrics {@code trainingSpec} gates. */
  static Comparison compare(TrainingSpec trainingSpec, ModelCard candidate, ModelCard released) {
    Set<String> gated = new LinkedHashSet<>();
    trainingSpec.gates().forEach(g -> gated.add(g.metric()));
    double tolerance = trainingSpec.reference().tolerance();

    StringBuilder table = new StringBuilder();
    table.append(
        String.format(
            Locale.ROOT,
            "### Model gate: %s %s against released %s%n%n",
            candidate.modelName(),
            candidate.modelVersion(),
            released.modelVersion()));
    table.append("| | released | candidate | change | gate |\n|---|---|---|---|---|\n");
    table.append(row("data", lineage(released), lineage(candidate), "", ""));
    table.append(
        row(
            "trained on (rows)",
            Integer.toString(released.trainingData().trainRows()),
            Integer.toString(candidate.trainingData().trainRows()),
            "",
            ""));
    boolean regressed = false;
    for (String metric : SHOWN) {
      double before = released.evaluation().metric(metric);
      double after = candidate.evaluation().metric(metric);
      String verdict = "";
      if (gated.contains(metric)) {
        boolean ok = after >= before - tolerance;
        regressed |= !ok;
        verdict =
            String.format(Locale.ROOT, "%s (drop <= %.3f)", ok ? "pass" : "**FAIL**", tolerance);
      }
      table.append(
          row(
              metric,
              String.format(Locale.ROOT, "%.4f", before),
              String.format(Locale.ROOT, "%.4f", after),
              String.format(Locale.ROOT, "%+.4f", after - before),
              verdict));
    }
    table
        .append('\n')
        .append(
            regressed
                ? "Result: **regressed**; the candidate must not replace the released model.\n"
                : "Result: pass.\n");
    return new Comparison(table.toString(), regressed);
  }

  private static String lineage(ModelCard card) {
    return "`" + card.trainingData().path() + "` " + card.trainingData().sha256().substring(0, 12);
  }

  private static String row(String name, String before, String after, String change, String gate) {
    return "| " + name + " | " + before + " | " + after + " | " + change + " | " + gate + " |\n";
  }
}
