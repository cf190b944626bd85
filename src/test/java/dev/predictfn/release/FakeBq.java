package dev.predictfn.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * A stand-in for {@code bq} on PATH beside {@link FakeGcloud}: datasets, CLOUD_RESOURCE connections
 * (each with its service account) and remote functions (their {@code CREATE} statements), kept in
 * {@code $FAKE_GCLOUD_STATE/bq.yaml}; every call's arguments are appended to {@code bq-calls.txt}
 * (TAB-separated), for tests and for checking their flags against the real CLI. It knows exactly
 * the commands {@code cloudrun/bigquery-function.sh} runs; anything else fails with exit code 3.
 */
public final class FakeBq {
  static final String CONNECTION_ACCOUNT =
      "bqcx-" + FakeGcloud.PROJECT_NUMBER + "-k3pv@gcp-sa-bigquery-condel.iam.gserviceaccount.com";
  private static final Pattern FUNCTION =
      Pattern.compile("^CREATE OR REPLACE FUNCTION `([^`]+)`\\.(\\w+)\\(");

  private final List<String> positional;
  private final Map<String, String> flags;
  private final Map<String, Object> state;

  private FakeBq(Map<String, Object> state, String[] args) {
    this.state = state;
    CliArgs parsed = CliArgs.parse(args);
    this.positional = parsed.positional();
    this.flags = parsed.flags();
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(System.getenv("FAKE_GCLOUD_STATE"));
    Files.writeString(
        dir.resolve("bq-calls.txt"),
        String.join("\t", args).replace("\n", "\\n") + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    Path file = dir.resolve("bq.yaml");
    Map<String, Object> state = load(file);
    int status = new FakeBq(state, args).run();
    Files.writeString(file, new Yaml().dump(state));
    System.exit(status);
  }

  static Map<String, Object> load(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new LinkedHashMap<>();
    }
    Map<String, Object> loaded = new Yaml().load(Files.readString(file));
    return loaded == null ? new LinkedHashMap<>() : loaded;
  }

  private int run() {
    String command = positional.isEmpty() ? "" : positional.get(0);
    String name = positional.size() > 1 ? positional.get(positional.size() - 1) : "";
    if (command.equals("show") && flags.containsKey("--dataset")) {
      return exists("datasets", name);
    }
    if (command.equals("mk") && flags.containsKey("--dataset")) {
      return create("datasets", name);
    }
    if (command.equals("show") && flags.containsKey("--connection")) {
      int found = exists("connections", name);
      if (found == 0 && "json".equals(flags.get("--format"))) {
        System.out.println(
            "{\"name\":\"projects/"
                + FakeGcloud.PROJECT_NUMBER
                + "/locations/"
                + name.split("\\.")[1]
                + "/connections/"
                + name.split("\\.")[2]
                + "\",\"cloudResource\":{\"serviceAccountId\":\""
                + CONNECTION_ACCOUNT
                + "\"}}");
      }
      return found;
    }
    if (command.equals("mk") && flags.containsKey("--connection")) {
      if (!"CLOUD_RESOURCE".equals(flags.get("--connection_type"))) {
        System.err.println("fake bq: only CLOUD_RESOURCE connections");
        return 3;
      }
      return create(
          "connections", flags.get("--project_id") + "." + flags.get("--location") + "." + name);
    }
    if (command.equals("query") && "false".equals(flags.get("--use_legacy_sql"))) {
      Matcher function = FUNCTION.matcher(name);
      if (!function.find()) {
        System.err.println("fake bq: only CREATE OR REPLACE FUNCTION statements");
        return 3;
      }
      String dataset = function.group(1).replace('.', ':');
      if (!list("datasets").contains(dataset)) {
        System.err.println("BigQuery error in query operation: Not found: Dataset " + dataset);
        return 2;
      }
      functions().put(function.group(1) + "." + function.group(2), name);
      return 0;
    }
    System.err.println("fake bq: unsupported command: " + positional + " " + flags);
    return 3;
  }

  private int exists(String kind, String name) {
    if (list(kind).contains(name)) {
      return 0;
    }
    System.err.println("BigQuery error in show operation: Not found: " + name);
    return 2;
  }

  private int create(String kind, String name) {
    if (list(kind).contains(name)) {
      System.err.println("BigQuery error in mk operation: Already exists: " + name);
      return 2;
    }
    list(kind).add(name);
    return 0;
  }

  @SuppressWarnings("unchecked")
  private List<String> list(String kind) {
    return (List<String>) state.computeIfAbsent(kind, k -> new ArrayList<>());
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> functions() {
    return (Map<String, Object>) state.computeIfAbsent("functions", k -> new LinkedHashMap<>());
  }
}
