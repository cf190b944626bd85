package dev.predictfn.evaluate;

import dev.predictfn.bundle.BundleLocation;
import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.bundle.ModelCard;
import dev.predictfn.bundle.ModelCardJson;
import dev.predictfn.model.ModelConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code evaluate}: the image's online-accuracy mode, for a Cloud Run job or by hand
 * (docs/operations.md, "Prediction records and online accuracy"). It joins prediction records with
 * feedback records and exits 2 when a revision's online accuracy fell more than a threshold below
 * its card's test accuracy, as {@code tools drift} exits 2 on drift.
 */
public final class EvaluateCommand {
  /** The first argument that selects this mode. */
  public static final String NAME = "evaluate";

  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_DROPPED = 2;

  private static final Logger LOG = LoggerFactory.getLogger(EvaluateCommand.class);

  private EvaluateCommand() {}

  /** Runs with {@code args} (those after {@code evaluate}); returns the exit status. */
  public static int run(
      String[] args, Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err) {
    EvaluateOptions options;
    try {
      options = EvaluateOptions.parse(args);
    } catch (EvaluateOptions.HelpRequested e) {
      out.println(EvaluateOptions.USAGE);
      return EXIT_OK;
    } catch (IllegalArgumentException e) {
      err.println("evaluate: " + e.getMessage() + " (evaluate --help lists the options)");
      return EXIT_FAILED;
    }
    try {
      Map<String, ModelCard> cards = cards(options, env);
      OnlineAccuracy join = new OnlineAccuracy();
      RecordLines lines = new RecordLines(join);
      for (String input : options.inputs()) {
        lines.read(input, stdin);
      }
      EvaluateReport report = new EvaluateReport(options, lines, join, cards);
      out.print(report.text());
      report.log(LOG);
      if (options.report() != null) {
        Path parent = options.report().toAbsolutePath().getParent();
        Files.createDirectories(parent);
        try (OutputStream file = Files.newOutputStream(options.report())) {
          report.writeJson(file);
        }
      }
      return report.dropped() ? EXIT_DROPPED : EXIT_OK;
    } catch (IOException | RuntimeException e) {
      err.println("evaluate: " + e.getMessage());
      return EXIT_FAILED;
    }
  }

  /** The cards to judge by, by model sha256: {@code --card}s, else the served bundle's. */
  private static Map<String, ModelCard> cards(EvaluateOptions options, Map<String, String> env)
      throws IOException {
    ModelCardJson codec = new ModelCardJson();
    Map<String, ModelCard> cards = new LinkedHashMap<>();
    if (options.cards().isEmpty()) {
      // The served bundle, chosen as the service chooses it (MODEL_PATH, else the built-in one).
      BundleLocation bundle = new ModelConfiguration(env.get("MODEL_PATH"), null).location();
      ModelCard card = codec.read(bundle.read(ModelBundle.CARD_FILE));
      cards.put(card.modelSha256(), card);
    }
    for (Path file : options.cards()) {
      try {
        ModelCard card = codec.read(Files.readAllBytes(file));
        cards.put(card.modelSha256(), card);
      } catch (IOException e) {
        throw new IOException(
            "--card " + file + " is not a readable model card: " + e.getMessage(), e);
      }
    }
    return cards;
  }
}
