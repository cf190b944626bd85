package dev.predictfn.evaluate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one {@code evaluate} run reads and judges.
 *
 * @param inputs files or directories (read recursively) of JSON Lines, or {@code -} for stdin
 * @param cards model cards to judge against; empty: the served bundle's ({@code MODEL_PATH}, else
 *     the built-in one)
 * @param report where the JSON report is written, or null for none
 * @param maxAccuracyDrop a revision whose online accuracy is more than this below its card's test
 *     accuracy fails the run
 * @param minLabelled a revision with fewer labelled predictions than this is reported, not judged
 */
record EvaluateOptions(
    List<String> inputs, List<Path> cards, Path report, double maxAccuracyDrop, int minLabelled) {

  static final String USAGE =
      """
      usage: evaluate --input FILE|DIR|- [--input ...] [options]
        Joins prediction records with feedback records (JSON Lines: the files a Cloud Storage
        logging sink writes, or the service's own stdout; other lines are skipped) and reports
        accuracy, macro-F1 and log loss per revision and model version, overall and per day (UTC),
        beside the model card's test metrics.
        --card FILE             a model card to judge against, repeatable (default: the served
                                bundle's, MODEL_PATH or the built-in one); a revision whose
                                model_sha256 matches no card is reported, not judged
        --report FILE           also write the report as JSON to FILE
        --max-accuracy-drop D   fail when online accuracy is more than D below the card's test
                                accuracy (default: 0.05)
        --min-labelled N        judge a revision only with at least N labelled predictions
                                (default: 100)
      Exit: 0 no revision dropped, 1 error (bad arguments or unreadable input),
      2 a revision's online accuracy dropped more than --max-accuracy-drop.""";

  /** Thrown for {@code --help}. */
  static final class HelpRequested extends Exception {
    HelpRequested() {
      super(null, null, false, false);
    }
  }

  /** The options of {@code args}; a mistake throws with what to fix. */
  static EvaluateOptions parse(String[] args) throws HelpRequested {
    List<String> inputs = new ArrayList<>();
    List<Path> cards = new ArrayList<>();
    Path report = null;
    double maxDrop = 0.05;
    int minLabelled = 100;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--help") || option.equals("-h")) {
        throw new HelpRequested();
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(
            option.startsWith("--") ? option + " needs a value" : "unexpected argument " + option);
      }
      String value = args[++i];
      switch (option) {
        case "--input" -> inputs.add(value);
        case "--card" -> cards.add(Path.of(value));
        case "--report" -> report = Path.of(value);
        case "--max-accuracy-drop" -> maxDrop = number(option, value, 0, 1);
        case "--min-labelled" -> minLabelled = (int) number(option, value, 1, Integer.MAX_VALUE);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException(
          "--input is required: the records' files or directory, or - for stdin");
    }
    return new EvaluateOptions(
        List.copyOf(inputs), List.copyOf(cards), report, maxDrop, minLabelled);
  }

  private static double number(String option, String value, double min, double max) {
    double number;
    try {
      number = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      number = Double.NaN;
    }
    if (!(number >= min && number <= max)) {
      throw new IllegalArgumentException(
          option + " must be a number from " + min + " to " + max + ", but it is " + value);
    }
    return number;
  }
}
