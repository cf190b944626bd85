package dev.predictfn.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs the scripts in {@code cloudrun/} as the release workflow does, with {@link FakeGcloud} as
 * the {@code gcloud} and {@link FakeBq} as the {@code bq} on PATH and their state in a directory of
 * the test's own.
 */
final class CloudRunSandbox {
  static final String PROJECT = "demo-project";
  static final String REGION = "europe-west1";
  static final String SERVICE = "prediction-function";

  /** What a script did: exit status, stdout, stderr. */
  record Result(int status, String out, String err) {
    String describe() {
      return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }

    /** A key=value line the script printed (its step outputs). */
    String output(String key) {
      return out.lines()
          .filter(line -> line.startsWith(key + "="))
          .map(line -> line.substring(key.length() + 1))
          .reduce((first, last) -> last)
          .orElseThrow(() -> new AssertionError("no " + key + "= in\n" + describe()));
    }
  }

  final Path dir;
  final Path state;
  final Path releaseDir;
  final Path summary;
  private final Path bin;

  CloudRunSandbox(Path dir) throws IOException {
    this.dir = dir;
    this.state = Files.createDirectories(dir.resolve("gcloud-state"));
    this.bin = Files.createDirectories(dir.resolve("bin"));
    this.releaseDir = dir.resolve("release");
    this.summary = dir.resolve("summary.md");
    String classPath = location(FakeGcloud.class) + ":" + location(Yaml.class);
    fake("gcloud", FakeGcloud.class, classPath);
    fake("bq", FakeBq.class, classPath);
  }

  /** Puts NAME on the sandbox's PATH, running MAIN's main method. */
  private void fake(String name, Class<?> main, String classPath) throws IOException {
    Path command = bin.resolve(name);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(
        command,
        "#!/bin/sh\nexec '"
            + java
            + "' -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '"
            + classPath
            + "' "
            + main.getName()
            + " \"$@\"\n");
    Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs cloudrun/SCRIPT with ARGS; extra environment variables in ENV. */
  Result run(String script, Map<String, String> env, String... args) {
    try {
      Path out = Files.createTempFile(dir, "out", ".txt");
      Path err = Files.createTempFile(dir, "err", ".txt");
      Process process = start(script, env, out, err, args);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("cloudrun/" + script + " did not finish in 120 s");
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts cloudrun/SCRIPT as {@link #run} does, its output going to OUT and ERR. */
  Process start(String script, Map<String, String> env, Path out, Path err, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", "cloudrun/" + script));
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> environment = builder.environment();
    environment
        .keySet()
        .removeIf(
            k ->
                k.startsWith("GCP_")
                    || k.startsWith("GITHUB_")
                    || k.startsWith("SHADOW_")
                    || k.startsWith("CANARY_")
                    || k.equals("DRY_RUN")
                    || k.equals("MONITORING_API"));
    environment.put("PATH", bin + ":" + environment.get("PATH"));
    environment.put("FAKE_GCLOUD_STATE", state.toString());
    environment.put("GCP_PROJECT_ID", PROJECT);
    environment.put("GCP_REGION", REGION);
    environment.put("CLOUD_RUN_SERVICE", SERVICE);
    environment.put("RELEASE_DIR", releaseDir.toString());
    environment.put("GITHUB_STEP_SUMMARY", summary.toString());
    environment.put("SMOKE_READY_SECONDS", "4");
    // A release promotes right after its shadow gate unless a test scripts the canary steps
    // (CanaryStepsTest) against its fake Cloud Monitoring.
    environment.put("CANARY_STEPS", "100");
    environment.putAll(env);
    return builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
  }

  Result run(String script, String... args) {
    return run(script, Map.of(), args);
  }

  /** Where the tag URL of revisions of IMAGE points. */
  void route(String image, String url) throws IOException {
    Map<String, Object> current = read();
    @SuppressWarnings("unchecked")
    Map<String, Object> urls =
        (Map<String, Object>) current.computeIfAbsent("urls", k -> new LinkedHashMap<>());
    urls.put(image, url);
    write(current);
  }

  /** Revisions of IMAGE never become ready (a bad bundle, a crash at start). */
  void failToStart(String image) throws IOException {
    addToList("failingImages", image);
  }

  /** The registry does not have IMAGE (a digest pinned by mistake). */
  void removeFromRegistry(String image) throws IOException {
    addToList("missingImages", image);
  }

  private void addToList(String key, String value) throws IOException {
    Map<String, Object> current = read();
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) current.computeIfAbsent(key, k -> new ArrayList<>());
    list.add(value);
    write(current);
  }

  /** What the fake's secret NAME holds in its latest version, or null. */
  String secret(String name) throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> secrets = (Map<String, Object>) read().get("secrets");
    return secrets == null ? null : (String) secrets.get(name);
  }

  /** Makes DATA the latest version of the fake's (existing) secret NAME. */
  void setSecret(String name, String data) throws IOException {
    Map<String, Object> current = read();
    @SuppressWarnings("unchecked")
    Map<String, Object> secrets = (Map<String, Object>) current.get("secrets");
    secrets.put(name, data);
    write(current);
  }

  /** The bq calls so far, each as its arguments. */
  List<List<String>> bqCalls() throws IOException {
    Path file = state.resolve("bq-calls.txt");
    if (!Files.exists(file)) {
      return List.of();
    }
    return Files.readAllLines(file).stream()
        .map(line -> List.of(line.replace("\\n", "\n").split("\t", -1)))
        .toList();
  }

  /** What the fake BigQuery holds: datasets, connections, functions. */
  Map<String, Object> bigQuery() throws IOException {
    return FakeBq.load(state.resolve("bq.yaml"));
  }

  /** What the fake gcloud holds besides Cloud Run: logging sinks, IAM bindings, resources. */
  Map<String, Object> gcloudState() throws IOException {
    return read();
  }

  /**
   * A logging sink delivered its first entry: BigQuery now has the table it creates ({@code
   * PROJECT.DATASET.TABLE}).
   */
  @SuppressWarnings("unchecked")
  void sinkCreatedTable(String table) throws IOException {
    Path file = state.resolve("bq.yaml");
    Map<String, Object> bigQuery = FakeBq.load(file);
    ((Map<String, Object>) bigQuery.computeIfAbsent("tables", k -> new LinkedHashMap<>()))
        .put(table, new LinkedHashMap<>(Map.of("kind", "table", "definition", "logging sink")));
    Files.writeString(file, new Yaml().dump(bigQuery));
  }

  /** The traffic of the service now: revision -> percent (revisions with a share only). */
  Map<String, Integer> traffic() throws IOException {
    Map<String, Integer> traffic = new LinkedHashMap<>();
    @SuppressWarnings("unchecked")
    Map<String, Object> service = (Map<String, Object>) read().get("service");
    if (service == null) {
      return traffic;
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> targets = (List<Map<String, Object>>) service.get("traffic");
    for (Map<String, Object> target : targets) {
      int percent = ((Number) target.getOrDefault("percent", 0)).intValue();
      if (percent > 0) {
        traffic.put((String) target.get("revisionName"), percent);
      }
    }
    return traffic;
  }

  /** Every gcloud call so far, each as its argument list. */
  List<List<String>> calls() throws IOException {
    Path file = state.resolve("calls.txt");
    if (!Files.exists(file)) {
      return List.of();
    }
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .map(line -> List.of(line.split("\t", -1)))
        .toList();
  }

  /** The gcloud calls whose arguments start with WORDS. */
  List<List<String>> calls(String... words) throws IOException {
    return calls().stream()
        .filter(
            call ->
                call.size() >= words.length && call.subList(0, words.length).equals(List.of(words)))
        .toList();
  }

  Map<String, Object> read() throws IOException {
    Path file = state.resolve("state.yaml");
    return Files.exists(file) ? FakeGcloud.load(file) : new LinkedHashMap<>();
  }

  private void write(Map<String, Object> current) throws IOException {
    Files.writeString(state.resolve("state.yaml"), new Yaml().dump(current));
  }

  /** The arguments the first {@code run jobs deploy} gave its job ({@code --args}, split). */
  String[] firstJobArgs() throws IOException {
    return calls("run", "jobs", "deploy").get(0).stream()
        .filter(a -> a.startsWith("--args="))
        .findFirst()
        .orElseThrow()
        .substring("--args=".length())
        .split(",");
  }

  /** An image reference by digest, distinct for each SEED. */
  static String image(int seed) {
    String hex = String.format("%016x", (seed + 1) * 0x9E3779B97F4A7C15L);
    return REGION
        + "-docker.pkg.dev/"
        + PROJECT
        + "/prediction-function/prediction-function@sha256:"
        + hex.repeat(4);
  }
}
