package dev.predictfn.release;

import static dev.predictfn.release.CloudRunSandbox.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.predictfn.support.RequiresCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every gcloud command the scripts in {@code cloudrun/} run and every gcloud line in RUNBOOK.md and
 * docs/ (with RUNBOOK.md's variables), given to the real Google Cloud CLI with no credentials: the
 * CLI checks a command's arguments before it needs an account, so "You do not currently have an
 * active account selected" means the command parsed, and "unrecognized arguments" or "Invalid
 * choice" means it would fail in front of the on-call engineer.
 */
@RequiresCommands({"gcloud", "bash", "jq", "curl"})
class GcloudCommandsParseTest {
  private static final String PARSED = "You do not currently have an active account selected";
  private static final Pattern BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern GCLOUD_LINE = Pattern.compile("^([A-Z_]+=\\$\\()?gcloud .*");
  private static final Pattern ASSIGNMENT = Pattern.compile("^[A-Z_]+=(\\$\\(.*\\)|\\S+)$");
  // A gcloud command written inline in prose (`gcloud ...`), which a reader copies as well.
  private static final Pattern INLINE = Pattern.compile("`(gcloud [^`]+)`");
  static final String VARIABLES_HEADER = "# The variables the commands below use";
  static final String[] BIGQUERY_ARGS = {
    "--dataset", "ml", "--card", "src/main/training/reference/iris-sgd.model-card.json"
  };

  @TempDir Path dir;

  @Test
  void everyGcloudCommandOfTheScriptsParses() throws Exception {
    CloudRunSandbox cloud = new CloudRunSandbox(dir);
    // Every path through the scripts: an empty project, then a project where all exists;
    // a first and a second deploy, a promotion, rollbacks to "previous" and by name.
    run(cloud, "setup-wif.sh", SetupWifScriptTest.ARGS);
    run(cloud, "setup-wif.sh", SetupWifScriptTest.ARGS);
    String first =
        run(cloud, "deploy.sh", "--version", "1.0.0", "--image", image(1)).output("revision");
    String second =
        run(cloud, "deploy.sh", "--version", "1.1.0", "--image", image(2)).output("revision");
    run(cloud, "promote.sh", "--revision", second);
    // A release whose smoke test fails (its tag URL answers nothing): the revision is deleted.
    CloudRunSandbox.Result failed = cloud.run("release.sh", "--tag", "v1.2.0", "--image", image(3));
    assertTrue(
        failed.status() != 0 && !cloud.calls("run", "revisions", "delete").isEmpty(),
        failed.describe());
    run(cloud, "rollback.sh", "--to", "previous");
    run(cloud, "rollback.sh", "--to", second);
    run(cloud, "pin-sidecar.sh", "--tag", "1.2.0", "--dry-run");
    run(cloud, "bigquery-function.sh", BIGQUERY_ARGS);
    run(cloud, "score-job.sh", "deploy", "--image", image(2), "--bucket", "scoring-data");
    run(
        cloud,
        "score-job.sh",
        "run",
        "--input",
        "in/*.csv",
        "--output",
        "out/1",
        "--id",
        "id",
        "--tasks",
        "4",
        "--wait");
    // Prediction records: sinks, bucket, dataset; then the evaluate job with its schedule, twice
    // (create, then update).
    String card = "src/main/training/reference/iris-sgd.model-card.json";
    run(cloud, "setup-records.sh", "--card", card, "--bucket", "demo-records");
    run(cloud, "setup-records.sh", "--card", card, "--bucket", "demo-records");
    for (String schedule : List.of("0 6 * * *", "0 7 * * *")) {
      String[] deploy = {"deploy", "--image", image(2), "--bucket", "demo-records"};
      run(cloud, "evaluate-job.sh", concat(deploy, "--schedule", schedule));
    }
    run(cloud, "evaluate-job.sh", "run", "--wait");
    // Retraining: the job with its accounts and schedule, twice, and a run; a candidate fetched.
    run(cloud, "retrain-job.sh", RetrainJobScriptTest.deployArgs());
    run(cloud, "retrain-job.sh", RetrainJobScriptTest.deployArgs("--schedule", "0 3 1 * *"));
    run(cloud, "retrain-job.sh", "run", "--wait");
    cloud.run(
        "fetch-candidate.sh",
        "--candidate",
        "gs://demo-candidates/iris-sgd/prediction-function-retrain-abcde/",
        "--sha256",
        "0".repeat(64),
        "--out",
        dir.resolve("candidate").toString());
    assertEquals(1, cloud.calls("storage", "rsync").size());
    assertTrue(first.startsWith("prediction-function-"));
    // Canary steps: a split by name, a failed step rolled back and its revision marked rejected,
    // a re-run promoted (and unmarked), an abort by hand.
    try (FakeCloudMonitoring monitoring = new FakeCloudMonitoring()) {
      String third =
          run(cloud, "deploy.sh", "--version", "1.3.0", "--image", image(4)).output("revision");
      Map<String, String> env =
          Map.of(
              "MONITORING_API", monitoring.url(),
              "CANARY_STEPS", "5,100",
              "CANARY_DWELL_SECONDS", "1",
              "CANARY_POLL_SECONDS", "1",
              "CANARY_NO_DATA_SECONDS", "1");
      FakeCloudMonitoring.Sample healthy =
          FakeCloudMonitoring.Sample.healthy(500, 30.0, Map.of("setosa", 100.0, "virginica", 90.0));
      monitoring.script(second, healthy);
      monitoring.script(
          third,
          new FakeCloudMonitoring.Sample(
              Map.of("2xx", 400L, "5xx", 100L), 30.0, Map.of("setosa", 100.0, "virginica", 90.0)),
          healthy);
      String[] canary = {"--revision", third, "--previous", second};
      assertEquals(3, cloud.run("canary.sh", env, canary).status());
      assertEquals(0, cloud.run("canary.sh", env, canary).status());
      String fourth =
          run(cloud, "deploy.sh", "--version", "1.4.0", "--image", image(5)).output("revision");
      run(cloud, "canary.sh", "--abort", "--revision", fourth);
      run(cloud, "canary.sh", "--revision", fourth, "--previous", third, "--steps", "100");
    }

    Set<List<String>> distinct = new LinkedHashSet<>(cloud.calls());
    assertTrue(distinct.size() >= 20, "the scenario reaches every command: " + distinct);
    List<Check> checks = new ArrayList<>();
    for (List<String> call : distinct) {
      List<String> command = new ArrayList<>(List.of("gcloud"));
      command.addAll(call);
      checks.add(new Check(String.join(" ", call), command, false));
    }
    assertAllParse(checks);
  }

  /**
   * bq checks credentials before its flags, so its commands cannot be replayed the way gcloud's
   * are: each flag bigquery-function.sh and setup-records.sh pass must instead be one the real CLI
   * documents, for that command ({@code bq help COMMAND}) or for all ({@code bq --helpfull}).
   */
  @Test
  @RequiresCommands({"bq", "bash", "jq", "curl"})
  void everyBqFlagOfTheScriptsIsOneTheCliHas() throws Exception {
    CloudRunSandbox cloud = new CloudRunSandbox(dir);
    run(cloud, "deploy.sh", "--version", "1.0.0", "--image", image(1));
    run(cloud, "bigquery-function.sh", BIGQUERY_ARGS);
    run(cloud, "bigquery-function.sh", BIGQUERY_ARGS);
    String card = "src/main/training/reference/iris-sgd.model-card.json";
    run(cloud, "setup-records.sh", "--card", card);
    cloud.sinkCreatedTable("demo-project.prediction_records.run_googleapis_com_stdout");
    run(cloud, "setup-records.sh", "--card", card);
    run(cloud, "setup-records.sh", "--card", card);
    Map<String, Set<String>> flags = new java.util.TreeMap<>();
    for (List<String> call : cloud.bqCalls()) {
      for (String arg : call.subList(1, call.size())) {
        if (arg.startsWith("--")) {
          String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
          flags.computeIfAbsent(call.get(0), k -> new java.util.TreeSet<>()).add(flag);
        }
      }
    }
    assertEquals(
        java.util.Set.of("add-iam-policy-binding", "mk", "query", "show", "update"),
        flags.keySet(),
        flags.toString());
    String global = help("bq", "--helpfull");
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, Set<String>> command : flags.entrySet()) {
      String own = help("bq", "help", command.getKey());
      for (String flag : command.getValue()) {
        String name = flag.substring(2);
        String negated = name.startsWith("no") ? name.substring(2) : null;
        if (!documents(own, name)
            && !documents(global, name)
            && !(negated != null && (documents(own, negated) || documents(global, negated)))) {
          unknown.add("bq " + command.getKey() + " " + flag);
        }
      }
    }
    assertEquals(List.of(), unknown, "flags the bq CLI does not have");
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  /** Whether bq's help text documents flag NAME ("--name:" or "--[no]name:"). */
  private static boolean documents(String help, String name) {
    return help.contains("--" + name + ":") || help.contains("--[no]" + name + ":");
  }

  private String help(String... command) throws Exception {
    Path config = Files.createDirectories(dir.resolve("bq-config"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("CLOUDSDK_CONFIG", config.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
    assertTrue(output.contains("--"), String.join(" ", command) + ":\n" + output);
    return output;
  }

  @Test
  void everyGcloudLineOfTheRunbookAndTheDocsParses() throws Exception {
    StringBuilder documents = new StringBuilder(Files.readString(Path.of("RUNBOOK.md")));
    try (var docs = Files.list(Path.of("docs"))) {
      for (Path doc : docs.filter(d -> d.toString().endsWith(".md")).sorted().toList()) {
        documents.append('\n').append(Files.readString(doc));
      }
    }
    String prelude = null;
    // Each gcloud line, with the assignments before it in its block (URL=$(gcloud ...), say).
    List<String> lines = new ArrayList<>();
    var blocks = BLOCK.matcher(documents);
    while (blocks.find()) {
      String block = blocks.group(1);
      if (block.startsWith(VARIABLES_HEADER)) {
        prelude = block;
        continue;
      }
      StringBuilder assignments = new StringBuilder();
      for (String line : block.replace("\\\n", " ").split("\n")) {
        String command = line.strip();
        if (GCLOUD_LINE.matcher(command).matches()) {
          // Only the gcloud command itself runs: never what a line does with its output
          // (a line may build and push an image with it).
          lines.add(assignments + gcloudPart(command));
        }
        if (ASSIGNMENT.matcher(command).matches()) {
          assignments.append(command).append('\n');
        }
      }
    }
    if (prelude == null) {
      fail("RUNBOOK.md has no ```bash block starting with '" + VARIABLES_HEADER + "'");
    }
    // Commands in the prose (with options) run the same way: a placeholder such as
    // --policy-from-file=... where a path belongs fails here, as it would for the reader.
    for (String inline : inlineCommands(documents.toString())) {
      if (inline.contains(" --")) {
        lines.add(inline);
      }
    }
    assertTrue(lines.size() >= 15, "RUNBOOK.md's gcloud lines: " + lines);
    List<Check> checks = new ArrayList<>();
    for (String line : lines) {
      // set -u: a command using a variable the runbook never defines fails here too.
      String script = "set -u\n" + prelude + "\n" + line;
      checks.add(new Check(line, List.of("bash", "-c", script), false));
    }
    assertAllParse(checks);
  }

  @Test
  void everyGcloudCommandTheProseNamesExists() throws Exception {
    StringBuilder documents = new StringBuilder(Files.readString(Path.of("RUNBOOK.md")));
    try (var docs = Files.list(Path.of("docs"))) {
      for (Path doc : docs.filter(d -> d.toString().endsWith(".md")).sorted().toList()) {
        documents.append('\n').append(Files.readString(doc));
      }
    }
    List<Check> checks = new ArrayList<>();
    for (String inline : inlineCommands(documents.toString())) {
      if (!inline.contains(" --")) {
        List<String> command = new ArrayList<>(List.of(inline.split(" +")));
        command.add("--help");
        checks.add(new Check(inline, command, true));
      }
    }
    assertTrue(checks.size() >= 3, "commands named in the prose: " + checks);
    assertAllParse(checks);
  }

  /** Every inline `gcloud ...` of {@code markdown} outside fenced blocks, joined onto one line. */
  static List<String> inlineCommands(String markdown) {
    String prose = markdown.replaceAll("(?s)```.*?```", "");
    List<String> commands = new ArrayList<>();
    Matcher m = INLINE.matcher(prose);
    while (m.find()) {
      commands.add(m.group(1).replaceAll("\\s+", " ").strip());
    }
    return commands;
  }

  /** "gcloud ..." as is; of "VAR=$(gcloud ...) rest", only the command inside "$(...)". */
  static String gcloudPart(String line) {
    if (line.startsWith("gcloud ")) {
      return line;
    }
    int start = line.indexOf("$(") + 2;
    int depth = 1;
    boolean quoted = false;
    for (int i = start; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')' && --depth == 0) {
        return line.substring(start, i);
      }
    }
    throw new IllegalArgumentException("unbalanced $( in: " + line);
  }

  @Test
  void onlyTheGcloudPartOfALineRuns() {
    assertEquals(
        "gcloud auth print-access-token",
        gcloudPart("T=$(gcloud auth print-access-token) cloudrun/push-image.sh --version 1"));
    assertEquals(
        "gcloud run services describe s --format='value(status.url)'",
        gcloudPart("URL=$(gcloud run services describe s --format='value(status.url)')"));
    assertEquals("gcloud run revisions list", gcloudPart("gcloud run revisions list"));
  }

  /**
   * One command to give the CLI.
   *
   * @param help true: the command's own --help, which must answer (the command exists); false: the
   *     command must get as far as asking for an account (it parsed)
   */
  private record Check(String name, List<String> command, boolean help) {}

  private void assertAllParse(List<Check> checks) throws Exception {
    Path config = Files.createDirectories(dir.resolve("gcloud-config"));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> failures = new ArrayList<>();
      for (Check check : checks) {
        failures.add(pool.submit(() -> parseFailure(check, config)));
      }
      List<String> failed = new ArrayList<>();
      for (Future<String> failure : failures) {
        String message = failure.get(120, TimeUnit.SECONDS);
        if (message != null) {
          failed.add(message);
        }
      }
      assertEquals(List.of(), failed, failed.size() + " of " + checks.size() + " did not parse");
    } finally {
      pool.shutdownNow();
    }
  }

  /** Null when the CLI got as far as asking for credentials; else what it said. */
  private String parseFailure(Check check, Path config) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(check.command()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("CLOUDSDK_CONFIG", config.toString());
    env.put("CLOUDSDK_CORE_DISABLE_PROMPTS", "1");
    env.keySet()
        .removeIf(k -> k.startsWith("GOOGLE_") || k.equals("CLOUDSDK_AUTH_ACCESS_TOKEN_FILE"));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return "gcloud is not installed (the Google Cloud CLI must be on PATH): " + e.getMessage();
    }
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return check.name() + "\n  -> no answer in 60 s";
    }
    boolean rejected =
        output.contains("unrecognized arguments")
            || output.contains("Invalid choice")
            || output.contains("unbound variable");
    if (!rejected && (check.help() ? process.exitValue() == 0 : output.contains(PARSED))) {
      return null;
    }
    return check.name() + "\n  -> exit " + process.exitValue() + ": " + output.strip();
  }

  private static CloudRunSandbox.Result run(CloudRunSandbox cloud, String script, String... args) {
    CloudRunSandbox.Result result = cloud.run(script, args);
    assertEquals(
        0, result.status(), script + " " + String.join(" ", args) + "\n" + result.describe());
    return result;
  }
}
