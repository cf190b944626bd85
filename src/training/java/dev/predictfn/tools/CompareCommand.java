package dev.predictfn.tools;

import dev.predictfn.shadow.ComparisonException;
import dev.predictfn.shadow.ShadowComparison;
import dev.predictfn.shadow.ShadowGates;
import dev.predictfn.shadow.ShadowReport;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The release's shadow gate: the same labelled rows to the serving and the candidate revision,
 * compared. {@code cloudrun/compare.sh} runs it with the release's rows and an identity token.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Sends the same labelled rows to two revisions of the service (any two base URLs) and"
          + " judges the candidate: each gated metric on each labelled set against the serving"
          + " revision's and the spec's minimum, agreement with the serving revision (exact when"
          + " both serve the same model), 5xx and p99 latency. Prints a Markdown report.",
      "Thresholds: the SHADOW_* lines of the gates file, each overridden by an environment"
          + " variable of the same name. COMPARE_ID_TOKEN, when set, is sent as a bearer token."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the candidate may take traffic",
      "1:the comparison could not be made (unreachable revision, unusable rows, the serving"
          + " revision failing)",
      "3:a gate failed; the report names it with its numbers"
    })
final class CompareCommand implements Callable<Integer> {
  static final int EXIT_GATE_FAILED = 3;

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  @Parameters(index = "0", paramLabel = "SERVING_URL", description = "The serving revision.")
  private String servingUrl;

  @Parameters(index = "1", paramLabel = "CANDIDATE_URL", description = "The new revision.")
  private String candidateUrl;

  @Option(
      names = "--rows",
      required = true,
      paramLabel = "CSV",
      description =
          "Labelled rows: a CSV with the models' features and the label column (repeat for"
              + " several sets, each judged on its own), e.g. the build's"
              + " target/model-bundle/comparison/*.csv.")
  private List<Path> rows;

  @Option(
      names = "--gates",
      paramLabel = "FILE",
      defaultValue = "cloudrun/gates.env",
      description = "The thresholds (default: ${DEFAULT-VALUE}).")
  private Path gates;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      description = "Also write shadow-report.md and shadow-report.json there.")
  private Path report;

  CompareCommand(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    JsonMapper json = JsonMapper.createDefault();
    ShadowReport result;
    try {
      ShadowGates thresholds = ShadowGates.read(gates, env);
      result =
          new ShadowComparison(
                  servingUrl, candidateUrl, env.get("COMPARE_ID_TOKEN"), thresholds, json)
              .run(rows);
    } catch (ComparisonException e) {
      err.println("compare: the comparison could not be made: " + e.getMessage());
      return Tools.EXIT_ERROR;
    }
    String markdown = result.markdown();
    out.print(markdown);
    if (report != null) {
      Files.createDirectories(report);
      Files.writeString(report.resolve("shadow-report.md"), markdown, StandardCharsets.UTF_8);
      Files.write(report.resolve("shadow-report.json"), json.writeValueAsBytes(result.json()));
    }
    if (!result.passed()) {
      err.println(
          "compare: the candidate failed "
              + result.gates().stream().filter(g -> !g.passed()).count()
              + " gate(s): "
              + String.join(
                  "; ",
                  result.gates().stream()
                      .filter(g -> !g.passed())
                      .map(g -> g.name() + ": " + g.detail())
                      .toList()));
      return EXIT_GATE_FAILED;
    }
    return Tools.EXIT_OK;
  }
}
