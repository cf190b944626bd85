package dev.predictfn.tools;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs a tool in process, as {@code Tools.main} would, and keeps what it printed. */
final class ToolRun {
  private ToolRun() {}

  /** {@code tools COMMAND ARGS...} with {@code env}; answers the exit code. */
  static int run(
      ByteArrayOutputStream out,
      ByteArrayOutputStream err,
      Map<String, String> env,
      String command,
      String... args) {
    String[] line = new String[args.length + 1];
    line[0] = command;
    System.arraycopy(args, 0, line, 1, args.length);
    return Tools.run(
        line,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        env);
  }
}
