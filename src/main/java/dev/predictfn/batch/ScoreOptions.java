package dev.predictfn.batch;

import io.micronaut.core.annotation.Nullable;
import java.nio.file.Path;
import java.util.Map;

/**
 * What one {@code score} task does, from its arguments and Cloud Run's task environment.
 *
 * @param input a file, a directory (its .csv, .jsonl, .ndjson and .json files) or a glob
 * @param output the directory the task's files are written to
 * @param idColumn when set, the output carries only this input column besides the predictions
 * @param model a bundle directory, or null for {@code MODEL_PATH} or the built-in bundle
 * @param taskIndex this task's index ({@code CLOUD_RUN_TASK_INDEX})
 * @param taskCount the job's task count ({@code CLOUD_RUN_TASK_COUNT})
 * @param splitBytes files larger than this are split into byte ranges shared out among the tasks
 * @param progressSeconds seconds between progress log lines
 * @param psiThreshold a feature whose PSI reaches this has drifted
 * @param maxOutOfRange a feature whose share of values out of the training range reaches this has
 *     drifted
 */
public record ScoreOptions(
    String input,
    Path output,
    @Nullable String idColumn,
    @Nullable Path model,
    int taskIndex,
    int taskCount,
    long splitBytes,
    int progressSeconds,
    double psiThreshold,
    double maxOutOfRange) {

  static final String USAGE =
      """
      usage: score --input FILE|DIR|GLOB --output DIR [options]
        Scores CSV (header row naming the model's features) or JSON Lines (one object per line)
        files with the model bundle, as one task of a Cloud Run job: the task takes its share of
        the input (whole files, or byte ranges of files larger than --split-bytes, split on line
        boundaries) and writes, into DIR, part-I-of-N (the rows with prediction and probabilities),
        rejects-I-of-N.jsonl (bad rows with file, line and what is wrong), drift-I-of-N.json (its
        input's drift against the model card) and summary-I-of-N.json, each atomically.
        --id COLUMN             keep only this input column besides the predictions
        --model DIR             the model bundle (default: MODEL_PATH, else the built-in one)
        --task-index I          (default: CLOUD_RUN_TASK_INDEX, else 0)
        --task-count N          (default: CLOUD_RUN_TASK_COUNT, else 1)
        --split-bytes B         (default: 67108864)
        --progress-seconds S    (default: 10)
        --psi-threshold P       (default: 0.2)
        --max-out-of-range F    (default: 0.05)
      Exit: 0 done (bad rows are in the rejects file), 1 the task failed (retried by Cloud Run),
      2 bad arguments.""";

  /** The options of {@code args} and {@code env}; a mistake throws with what to fix. */
  static ScoreOptions parse(String[] args, Map<String, String> env) {
    String input = null;
    String output = null;
    String id = null;
    String model = env.get("MODEL_PATH");
    String index = env.getOrDefault("CLOUD_RUN_TASK_INDEX", "0");
    String count = env.getOrDefault("CLOUD_RUN_TASK_COUNT", "1");
    String split = "67108864";
    String progress = "10";
    String psi = "0.2";
    String outOfRange = "0.05";
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--help") || name.equals("-h")) {
        throw new HelpRequested();
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      String value = args[++i];
      switch (name) {
        case "--input" -> input = value;
        case "--output" -> output = value;
        case "--id" -> id = value;
        case "--model" -> model = value;
        case "--task-index" -> index = value;
        case "--task-count" -> count = value;
        case "--split-bytes" -> split = value;
        case "--progress-seconds" -> progress = value;
        case "--psi-threshold" -> psi = value;
        case "--max-out-of-range" -> outOfRange = value;
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (input == null || output == null) {
      throw new IllegalArgumentException("--input and --output are required");
    }
    int taskCount = integer("--task-count (CLOUD_RUN_TASK_COUNT)", count, 1);
    int taskIndex = integer("--task-index (CLOUD_RUN_TASK_INDEX)", index, 0);
    if (taskIndex >= taskCount) {
      throw new IllegalArgumentException(
          "task index " + taskIndex + " is not below the task count " + taskCount);
    }
    return new ScoreOptions(
        input,
        Path.of(output),
        id == null || id.isBlank() ? null : id,
        model == null || model.isBlank() ? null : Path.of(model),
        taskIndex,
        taskCount,
        integer("--split-bytes", split, 1),
        integer("--progress-seconds", progress, 1),
        fraction("--psi-threshold", psi),
        fraction("--max-out-of-range", outOfRange));
  }

  /** {@code --help}: print the usage and exit 0. */
  static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super(null, null, false, false);
    }
  }

  private static int integer(String name, String value, int min) {
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed >= min) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(
        name + " must be a whole number >= " + min + ", not " + value);
  }

  private static double fraction(String name, String value) {
    try {
      double parsed = Double.parseDouble(value.trim());
      if (parsed > 0 && Double.isFinite(parsed)) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(name + " must be a positive number, not " + value);
  }
}
