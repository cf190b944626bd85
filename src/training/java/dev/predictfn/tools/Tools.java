package dev.predictfn.tools;

import dev.predictfn.training.TrainingException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The command-line tools that stand beside the service: train a bundle, gate it against the
 * released model, check a CSV for drift, generate the churn example's data. One runner parses every
 * command's options (picocli), answers {@code --help}, and maps failures to exit codes, so a
 * command only does its work.
 *
 * <pre>
 * ./mvnw -q compile exec:exec@tools -Dtools.args="--help"
 * java -cp "target/plain-classes:target/training-classes:$(cat target/tools.classpath)" \
 *     dev.predictfn.tools.Tools drift --help
 * </pre>
 */
@Command(
    name = "tools",
    mixinStandardHelpOptions = true,
    version = "prediction-function tools",
    description = "Training and model operations for the prediction function.",
    synopsisSubcommandLabel = "COMMAND",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:error: bad arguments, spec, data or files (the message says)"})
public final class Tools implements Callable<Integer> {
  /** The command did what it was asked and found nothing wrong. */
  public static final int EXIT_OK = 0;

  /** Bad arguments, spec, data or files; the message names what to fix. */
  public static final int EXIT_ERROR = 1;

  private final PrintStream err;

  @Spec private CommandSpec spec;

  private Tools(PrintStream err) {
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.getenv()));
  }

  /**
   * Runs the command that {@code args} names and answers its exit code.
   *
   * @param env the environment; {@code GITHUB_STEP_SUMMARY} names a file the gate's table is
   *     appended to
   */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    CommandLine cli =
        new CommandLine(new Tools(err))
            .addSubcommand(new TrainCommand(out, err))
            .addSubcommand(new GateCommand(out, err, env.get("GITHUB_STEP_SUMMARY")))
            .addSubcommand(new DriftCommand(out))
            .addSubcommand(new CompareCommand(out, err, env))
            .addSubcommand(new RetrainCommand(out, err, env))
            .addSubcommand(new AdoptCommand(out))
            .addSubcommand(new ChurnDataCommand(out));
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setParameterExceptionHandler(
        (e, arguments) -> {
          CommandLine command = e.getCommandLine();
          err.println("error: " + e.getMessage());
          err.println("usage: " + command.getHelp().synopsis(0).strip());
          err.println("(" + command.getCommandSpec().qualifiedName() + " --help says more)");
          return EXIT_ERROR;
        });
    cli.setExecutionExceptionHandler(
        (e, command, parseResult) -> {
          err.println(command.getCommandName() + " failed: " + describe(e));
          return EXIT_ERROR;
        });
    return cli.execute(args);
  }

  /** Without a command: what the commands are. */
  @Override
  public Integer call() {
    err.println("error: name a command");
    spec.commandLine().usage(err);
    return EXIT_ERROR;
  }

  /** A failure in words a person can act on: ours verbatim, a missing file by name. */
  static String describe(Exception e) {
    if (e instanceof TrainingException) {
      return e.getMessage();
    }
    if (e instanceof NoSuchFileException missing) {
      return "file not found: " + missing.getFile();
    }
    return e.toString();
  }
}
