package dev.predictfn.batch;

import dev.predictfn.bundle.InvalidBundleException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code score}: the image's batch mode, for a Cloud Run job (docs/batch.md). The job's arguments
 * start with {@code score}; without them the image serves HTTP as always.
 */
public final class ScoreCommand {
  /** The first argument that selects this mode. */
  public static final String NAME = "score";

  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  private static final Logger LOG = LoggerFactory.getLogger(ScoreCommand.class);

  private ScoreCommand() {}

  /**
   * Runs one task with {@code args} (those after {@code score}); returns the exit status: 0 done
   * (bad rows are in the rejects file), 1 the task failed (Cloud Run retries it), 2 bad arguments
   * or input that no retry can fix.
   */
  public static int run(String[] args, Map<String, String> env, PrintStream out) {
    ScoreOptions options;
    try {
      options = ScoreOptions.parse(args, env);
    } catch (ScoreOptions.HelpRequested e) {
      out.println(ScoreOptions.USAGE);
      return EXIT_OK;
    } catch (IllegalArgumentException e) {
      LOG.error("score: {} (score --help lists the options)", e.getMessage());
      return EXIT_USAGE;
    }
    try {
      return new ScoreTask(options).run();
    } catch (IllegalArgumentException e) {
      LOG.error("score: {}", e.getMessage());
      return EXIT_USAGE;
    } catch (InvalidBundleException e) {
      LOG.error("score: the model bundle was rejected: {}", e.getMessage());
      return EXIT_FAILED;
    } catch (IOException | UncheckedIOException e) {
      LOG.error("score: task " + options.taskIndex() + " failed", e);
      return EXIT_FAILED;
    }
  }
}
