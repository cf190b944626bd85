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
    if (command.equals("add-iam-policy-binding") && flags.containsKey("--dataset")) {
      if (!list("datasets").contains(name)) {
        return exists("datasets", name);
      }
      list("bindings").add(name + " " + flags.get("--member") + " " + flags.get("--role"));
      return 0;
    }
    if (command.equals("show") && "none".equals(flags.get("--format"))) {
      return tables().containsKey(name.replace(':', '.')) ? 0 : exists("tables", name);
    }
    if (command.equals("mk") && flags.containsKey("--table")) {
      return createTable(
          positional.get(1), "table", positional.size() > 2 ? positional.get(2) : "");
    }
    if ((command.equals("mk") || command.equals("update")) && flags.containsKey("--view")) {
      if (!"false".equals(flags.get("--use_legacy_sql"))) {
        System.err.println("fake bq: a view in legacy SQL");
        return 3;
      }
      String key = name.replace(':', '.');
      if (command.equals("update") != tables().containsKey(key)) {
        System.err.println(
            "BigQuery error in "
                + command
                + " operation: "
                + (command.equals("mk") ? "Already exists: " : "Not found: ")
                + name);
        return 2;
      }
      return command.equals("mk")
          ? createTable(name, "view", flags.get("--view"))
          : putTable(key, "view", flags.get("--view"));
    }
    if (command.equals("query")
        && "false".equals(flags.get("--use_legacy_sql"))
        && name.startsWith("MERGE ")) {
      return merge(name);
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

  private static final Pattern MERGE_CARD =
      Pattern.compile(
          "^MERGE `([^`]+)` AS cards USING \\(SELECT (.+)\\) AS card ON cards\\.model_sha256 = card\\.model_sha256 WHEN NOT MATCHED THEN INSERT ROW$");

  /** The model_cards MERGE: inserts the row unless a row of its model_sha256 is there. */
  @SuppressWarnings("unchecked")
  private int merge(String statement) {
    Matcher merge = MERGE_CARD.matcher(statement);
    if (!merge.matches()) {
      System.err.println("fake bq: only the model_cards MERGE");
      return 3;
    }
    Map<String, Object> table = tables().get(merge.group(1));
    if (table == null) {
      System.err.println("BigQuery error in query operation: Not found: Table " + merge.group(1));
      return 2;
    }
    Map<String, String> row = new LinkedHashMap<>();
    for (String column : merge.group(2).split(", ")) {
      String[] valueAs = column.split(" AS ");
      String value =
          valueAs[0].startsWith("\"")
              ? valueAs[0].substring(1, valueAs[0].length() - 1)
              : valueAs[0];
      Double.parseDouble(valueAs[0].startsWith("\"") ? "0" : value); // numbers must be SQL numbers
      row.put(valueAs[1], value);
    }
    List<Map<String, String>> rows =
        (List<Map<String, String>>) table.computeIfAbsent("rows", k -> new ArrayList<>());
    if (rows.stream().noneMatch(r -> r.get("model_sha256").equals(row.get("model_sha256")))) {
      rows.add(row);
    }
    return 0;
  }

  private int createTable(String name, String kind, String definition) {
    String key = name.replace(':', '.');
    if (tables().containsKey(key)) {
      System.err.println("BigQuery error in mk operation: Already exists: " + name);
      return 2;
    }
    String dataset = key.substring(0, key.lastIndexOf('.')).replace('.', ':');
    if (!list("datasets").contains(dataset)) {
      System.err.println("BigQuery error in mk operation: Not found: Dataset " + dataset);
      return 2;
    }
    return putTable(key, kind, definition);
  }

  private int putTable(String key, String kind, String definition) {
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("kind", kind);
    table.put("definition", definition);
    Object rows = tables().containsKey(key) ? tables().get(key).get("rows") : null;
    if (rows != null) {
      table.put("rows", rows);
    }
    tables().put(key, table);
    return 0;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Map<String, Object>> tables() {
    return (Map<String, Map<String, Object>>)
        state.computeIfAbsent("tables", k -> new LinkedHashMap<>());
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
