package dev.predictfn.training;

import dev.predictfn.model.ModelCard;
import dev.predictfn.model.ModelCardJson;
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
import java.util.Map;
import java.util.Set;

/**
 * Compares a newly trained model's card with the released model's card (the spec's {@code
 * reference}) and fails when a gated metric dropped by more than the spec's tolerance. Prints a
 * side-by-side Markdown table, also appended to the file {@code $GITHUB_STEP_SUMMARY} names when it
 * is set, so CI shows it on the run's page.
 *
 * <pre>
 * java -cp ... dev.predictfn.training.ReferenceGateCommand \
 *     --spec src/main/training/iris.spec.json --candidate target/model-bundle/model/model-card.json
 * </pre>
 *
 * <p>Exit codes: 0 no gated metric dropped beyond the tolerance (or the spec names no reference),
 * 3 one did, 1 error (missing or unreadable card).
 */
public final class ReferenceGateCommand {
  static final int EXIT_OK = 0;
  static final int EXIT_ERROR = 1;
  static final int EXIT_REGRESSED = 3;
  private static final List<String> SHOWN =
      List.of("accuracy", "macro_f1", "roc_auc", "pr_auc", "log_loss");

  private ReferenceGateCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.getenv("GITHUB_STEP_SUMMARY")));
  }

  /** Runs the command; {@code summaryFile} (may be null) receives the table too. */
  static int run(String[] args, PrintStream out, PrintStream err, String summaryFile) {
    Map<String, String> options;
    try {
      options = CommandLine.parse(args, List.of("--spec", "--candidate"), List.of("--reference"));
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println("usage: ReferenceGateCommand --spec FILE --candidate CARD [--reference CARD]");
      return EXIT_ERROR;
    }
    try {
      JsonMapper mapper = JsonMapper.createDefault();
      Path specFile = Path.of(options.get("--spec"));
      TrainingSpec spec = TrainingSpecs.read(mapper, specFile);
      if (spec.reference() == null) {
        out.println(specFile.getFileName() + " names no reference model; reference gate skipped");
        return EXIT_OK;
      }
      Path referenceFile =
          options.containsKey("--reference")
              ? Path.of(options.get("--reference"))
              : TrainingSpecs.resolve(specFile, spec.reference().card());
      ModelCardJson json = new ModelCardJson(mapper);
      ModelCard candidate = json.read(Files.readAllBytes(Path.of(options.get("--candidate"))));
      ModelCard reference;
      try {
        reference = json.read(Files.readAllBytes(referenceFile));
      } catch (NoSuchFileException e) {
        throw new TrainingException(
            "no reference card at "
                + referenceFile
                + "; to adopt the candidate as the reference, copy "
                + options.get("--candidate")
                + " there (RUNBOOK.md, \"Retraining and the reference gate\")");
      }
      Set<String> gated = new LinkedHashSet<>();
      spec.gates().forEach(g -> gated.add(g.metric()));
      double tolerance = spec.reference().tolerance();

      StringBuilder table = new StringBuilder();
      table.append(
          String.format(
              Locale.ROOT,
              "### Model gate: %s %s against released %s%n%n",
              candidate.modelName(),
              candidate.modelVersion(),
              reference.modelVersion()));
      table.append("| | released | candidate | change | gate |\n|---|---|---|---|---|\n");
      table.append(row("data", lineage(reference), lineage(candidate), "", ""));
      table.append(
          row(
              "trained on (rows)",
              Integer.toString(reference.trainingData().trainRows()),
              Integer.toString(candidate.trainingData().trainRows()),
              "",
              ""));
      boolean regressed = false;
      for (String metric : SHOWN) {
        double before = reference.evaluation().metric(metric);
        double after = candidate.evaluation().metric(metric);
        String verdict = "";
        if (gated.contains(metric)) {
          boolean ok = after >= before - tolerance;
          regressed |= !ok;
          verdict =
              String.format(
                  Locale.ROOT, "%s (drop <= %.3f)", ok ? "pass" : "**FAIL**", tolerance);
        }
        table.append(
            row(
                metric,
                String.format(Locale.ROOT, "%.4f", before),
                String.format(Locale.ROOT, "%.4f", after),
                String.format(Locale.ROOT, "%+.4f", after - before),
                verdict));
      }
      table.append('\n')
          .append(
              regressed
                  ? "Result: **regressed**; the candidate must not replace the released model.\n"
                  : "Result: pass.\n");
      out.print(table);
      if (summaryFile != null && !summaryFile.isBlank()) {
        Files.writeString(
            Path.of(summaryFile),
            table + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
      return regressed ? EXIT_REGRESSED : EXIT_OK;
    } catch (TrainingException e) {
      err.println("gate failed: " + e.getMessage());
      return EXIT_ERROR;
    } catch (NoSuchFileException e) {
      err.println("gate failed: file not found: " + e.getFile());
      return EXIT_ERROR;
    } catch (IOException | RuntimeException e) {
      err.println("gate failed: " + e);
      return EXIT_ERROR;
    }
  }

  private static String lineage(ModelCard card) {
    return "`" + card.trainingData().path() + "` " + card.trainingData().sha256().substring(0, 12);
  }

  private static String row(String name, String before, String after, String change, String gate) {
    return "| " + name + " | " + before + " | " + after + " | " + change + " | " + gate + " |\n";
  }
}
