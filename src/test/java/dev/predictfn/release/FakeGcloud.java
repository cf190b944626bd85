package dev.predictfn.release;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * A stand-in for {@code gcloud} on PATH, for testing the scripts in {@code cloudrun/} without
 * Google Cloud. It keeps a Cloud Run service, its revisions and traffic, and the setup's resources
 * in {@code $FAKE_GCLOUD_STATE/state.yaml}, and appends every call's arguments to {@code calls.txt}
 * (one call a line, arguments separated by TAB) so that tests can check what was asked and replay
 * the calls against the real CLI's argument parser.
 *
 * <p>It knows exactly the commands the scripts use, the way Cloud Run answers them: {@code replace}
 * creates the template's named revision and applies the file's traffic only once the revision is
 * ready; a revision of an image listed in {@code failingImages} never becomes ready, so {@code
 * replace} fails and traffic stays. Tag URLs point where {@code urls} maps the image (a locally
 * running service), and so does the service URL while one revision has all traffic. Every image
 * exists in the registry except those in {@code missingImages}; a secret keeps the data of its
 * latest version. Cloud Storage objects are files under {@code $FAKE_GCLOUD_STATE/buckets/BUCKET/}
 * ({@link #bucket}), which {@code storage rsync} copies from. Anything else fails with exit code 3,
 * so a script that starts using a new command fails its tests until this fake learns it.
 */
public final class FakeGcloud {
  public static final String PROJECT_NUMBER = "123456789012";

  private final Path stateFile;
  private final Path buckets;
  private final Map<String, Object> state;
  private final PrintStream out;
  private final PrintStream err;
  private final List<String> positional;
  private final Map<String, String> flags;

  private FakeGcloud(Path dir, String[] args, PrintStream out, PrintStream err) throws IOException {
    this.stateFile = dir.resolve("state.yaml");
    this.buckets = dir.resolve("buckets");
    this.state = Files.exists(stateFile) ? load(stateFile) : new LinkedHashMap<>();
    this.out = out;
    this.err = err;
    CliArgs parsed = CliArgs.parse(args);
    this.positional = parsed.positional();
    this.flags = parsed.flags();
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    Path dir = Path.of(System.getenv("FAKE_GCLOUD_STATE"));
    Files.writeString(
        dir.resolve("calls.txt"),
        String.join("\t", args) + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    // One call at a time, as the API serializes changes: a script reading the service while a
    // canary is aborted by hand must not write back the state it read before the abort.
    int status;
    FakeGcloud gcloud;
    try (java.nio.channels.FileChannel lock =
            java.nio.channels.FileChannel.open(
                dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        java.nio.channels.FileLock held = lock.lock()) {
      gcloud = new FakeGcloud(dir, args, System.out, System.err);
      status = gcloud.run();
      gcloud.save();
    }
    if (status == 0) {
      gcloud.returnAfterTheOperation();
    }
    System.exit(status);
  }

  /**
   * Holds a call that moved traffic open for {@code FAKE_GCLOUD_TRAFFIC_RETURN_MS} after its change
   * is saved, as the real CLI returns only once Cloud Run's operation is done: a signal sent to a
   * script meanwhile finds the traffic already moved.
   */
  private void returnAfterTheOperation() throws InterruptedException {
    String millis = System.getenv("FAKE_GCLOUD_TRAFFIC_RETURN_MS");
    if (millis != null && command().equals("run services update-traffic")) {
      Thread.sleep(Long.parseLong(millis));
    }
  }

  /** The command's first three words, such as {@code run services update-traffic}. */
  private String command() {
    return String.join(" ", positional.subList(0, Math.min(3, positional.size())));
  }

  private int run() {
    String command = command();
    if (command.startsWith("run services list")) {
      return servicesList();
    } else if (command.startsWith("run services describe")) {
      return servicesDescribe(positional.get(3));
    } else if (command.startsWith("run services replace")) {
      return servicesReplace(Path.of(positional.get(3)));
    } else if (command.startsWith("run services update-traffic")) {
      return updateTraffic(positional.get(3));
    } else if (command.startsWith("run revisions list")) {
      return revisionsList();
    } else if (command.startsWith("run revisions delete")) {
      return revisionsDelete(positional.get(3));
    } else if (command.startsWith("run jobs deploy")) {
      return jobsDeploy(positional.get(3));
    } else if (command.startsWith("run jobs execute")) {
      return jobsExecute(positional.get(3));
    } else if (command.startsWith("artifacts docker images")
        && positional.get(3).equals("describe")) {
      return imageDescribe(positional.get(4));
    } else if (command.startsWith("secrets versions access")) {
      return secretAccess(flags.get("--secret"));
    } else if (command.startsWith("secrets versions add")) {
      return secretAdd(positional.get(3), false);
    } else if (command.startsWith("secrets create")) {
      return secretAdd(positional.get(2), true);
    } else if (command.equals("auth print-access-token")
        || command.equals("auth print-identity-token")) {
      out.println("fake-" + positional.get(1) + "-for-tests");
      return 0;
    } else if (command.startsWith("logging sinks describe")) {
      return sinkDescribe(positional.get(3));
    } else if (command.startsWith("logging sinks create")
        || command.startsWith("logging sinks update")) {
      return sinkWrite(positional.get(3), positional.get(4), command.endsWith("create"));
    } else if (command.startsWith("scheduler jobs describe")) {
      return schedulers().containsKey(positional.get(3))
          ? 0
          : notFound("scheduler jobs " + positional.get(3));
    } else if (command.startsWith("scheduler jobs create")
        || command.startsWith("scheduler jobs update")) {
      return schedulerWrite(positional.get(4), command.endsWith("create"));
    } else if (command.startsWith("storage rsync")) {
      return storageRsync(positional.get(2), Path.of(positional.get(3)));
    } else if (command.startsWith("services enable")) {
      return 0;
    } else if (command.startsWith("projects describe")) {
      out.println(PROJECT_NUMBER);
      return 0;
    } else if (positional.contains("describe")) {
      return resources().contains(resourceKey()) ? 0 : notFound(resourceKey());
    } else if (positional.contains("create") || positional.contains("create-oidc")) {
      if (resources().contains(resourceKey())) {
        return alreadyExists(resourceKey());
      }
      resources().add(resourceKey());
      return 0;
    } else if (positional.contains("update-oidc")) {
      return resources().contains(resourceKey()) ? 0 : notFound(resourceKey());
    } else if (positional.contains("add-iam-policy-binding")) {
      // Who was granted what on which resource: "RESOURCE MEMBER ROLE".
      String resource =
          String.join(" ", positional.subList(0, positional.size() - 1))
              .replace(" add-iam-policy-binding", "");
      bindings()
          .add(
              resource
                  + " "
                  + positional.get(positional.size() - 1)
                  + " "
                  + flags.get("--member")
                  + " "
                  + flags.get("--role"));
      return 0;
    }
    err.println("fake gcloud: unsupported command: " + String.join(" ", positional) + " " + flags);
    return 3;
  }

  // ---- Cloud Run

  private int servicesList() {
    Map<String, Object> service = service();
    String filter = flags.getOrDefault("--filter", "");
    if (service != null && filter.equals("metadata.name=" + service.get("name"))) {
      out.println(service.get("name"));
    }
    return 0;
  }

  private int servicesDescribe(String name) {
    Map<String, Object> service = service();
    if (service == null || !service.get("name").equals(name)) {
      err.println("ERROR: (gcloud.run.services.describe) Cannot find service [" + name + "]");
      return 1;
    }
    List<Object> traffic = new ArrayList<>();
    for (Map<String, Object> target : traffic()) {
      Map<String, Object> status = new LinkedHashMap<>(target);
      if (target.get("tag") != null) {
        status.put("url", tagUrl((String) target.get("revisionName")));
      }
      traffic.add(status);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("metadata", Map.of("name", name));
    json.put("status", Map.of("url", serviceUrl(name), "traffic", traffic));
    out.println(Json.write(json));
    return 0;
  }

  @SuppressWarnings("unchecked")
  private int servicesReplace(Path file) {
    Map<String, Object> yaml;
    try {
      yaml = load(file);
    } catch (IOException e) {
      err.println("ERROR: (gcloud.run.services.replace) Failed to load YAML from [" + file + "]");
      return 2;
    }
    String name = (String) ((Map<String, Object>) yaml.get("metadata")).get("name");
    Map<String, Object> template =
        (Map<String, Object>) ((Map<String, Object>) yaml.get("spec")).get("template");
    String revision = (String) ((Map<String, Object>) template.get("metadata")).get("name");
    if (revision == null || !revision.startsWith(name + "-")) {
      err.println("ERROR: revision name must start with the service name: " + revision);
      return 1;
    }
    List<Map<String, Object>> containers =
        (List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers");
    String image = (String) containers.get(0).get("image");
    List<Map<String, Object>> traffic =
        (List<Map<String, Object>>)
            ((Map<String, Object>) yaml.get("spec")).getOrDefault("traffic", List.of());
    int total = 0;
    for (Map<String, Object> target : traffic) {
      total += ((Number) target.getOrDefault("percent", 0)).intValue();
      String named = (String) target.get("revisionName");
      if (!named.equals(revision) && revision(named) == null) {
        err.println("ERROR: traffic names revision " + named + " which does not exist");
        return 1;
      }
    }
    if (total != 100) {
      err.println("ERROR: traffic percentages sum to " + total + ", not 100");
      return 1;
    }
    Map<String, Object> existing = revision(revision);
    if (existing != null && !existing.get("image").equals(image)) {
      err.println("ERROR: revision " + revision + " already exists with another template");
      return 1;
    }
    boolean ready =
        !((List<Object>) state.getOrDefault("failingImages", List.of())).contains(image);
    if (existing == null) {
      Map<String, Object> created = new LinkedHashMap<>();
      created.put("name", revision);
      created.put("image", image);
      created.put("ready", ready);
      int clock = (int) state.getOrDefault("clock", 0) + 1;
      state.put("clock", clock);
      created.put("created", String.format("2026-11-22T10:%02d:00Z", clock));
      revisions().add(created);
    }
    if (!ready) {
      err.println(
          "ERROR: (gcloud.run.services.replace) Revision '"
              + revision
              + "' is not ready and cannot serve traffic. The user-provided container failed the"
              + " configured startup probe checks.");
      return 1;
    }
    Map<String, Object> service = new LinkedHashMap<>();
    service.put("name", name);
    service.put("traffic", new ArrayList<>(traffic));
    state.put("service", service);
    out.println("Service [" + name + "] revision [" + revision + "] has been deployed.");
    return 0;
  }

  private int updateTraffic(String name) {
    Map<String, Object> service = service();
    if (service == null || !service.get("name").equals(name)) {
      err.println("ERROR: (gcloud.run.services.update-traffic) Cannot find service [" + name + "]");
      return 1;
    }
    if (!flags.containsKey("--to-revisions")
        && !flags.containsKey("--remove-tags")
        && !flags.containsKey("--update-tags")) {
      err.println(
          "fake gcloud: update-traffic needs --to-revisions, --update-tags or --remove-tags");
      return 3;
    }
    if (flags.containsKey("--to-revisions")) {
      int status = moveShares(service);
      if (status != 0) {
        return status;
      }
    }
    if (flags.containsKey("--remove-tags")) {
      for (String tag : flags.get("--remove-tags").split(",")) {
        for (Map<String, Object> target : traffic()) {
          if (tag.equals(target.get("tag"))) {
            target.remove("tag");
          }
        }
      }
    }
    if (flags.containsKey("--update-tags")) {
      for (String assignment : flags.get("--update-tags").split(",")) {
        String[] parts = assignment.split("=");
        Map<String, Object> revision = parts.length == 2 ? revision(parts[1]) : null;
        if (revision == null) {
          err.println("ERROR: (gcloud.run.services.update-traffic) no revision for " + assignment);
          return 1;
        }
        traffic()
            .forEach(
                t -> {
                  if (parts[0].equals(t.get("tag"))) {
                    t.remove("tag");
                  }
                });
        traffic()
            .add(
                new LinkedHashMap<>(
                    Map.of("revisionName", parts[1], "tag", parts[0], "percent", 0)));
      }
    }
    // Cloud Run drops a target that has neither a share nor a tag.
    traffic()
        .removeIf(
            t -> t.get("tag") == null && ((Number) t.getOrDefault("percent", 0)).intValue() == 0);
    return 0;
  }

  /**
   * {@code --to-revisions=A=5,B=95}: the shares named, by revision name. Cloud Run would spread a
   * remainder under 100 over the other revisions; the scripts always name all 100 percent, and this
   * fake refuses anything else so that a script relying on the remainder fails its tests.
   */
  private int moveShares(Map<String, Object> service) {
    Map<String, Integer> shares = new LinkedHashMap<>();
    int total = 0;
    for (String assignment : flags.get("--to-revisions").split(",")) {
      String[] parts = assignment.split("=");
      if (parts.length != 2 || !parts[1].matches("[0-9]+")) {
        err.println("ERROR: (gcloud.run.services.update-traffic) bad assignment " + assignment);
        return 1;
      }
      Map<String, Object> revision = revision(parts[0]);
      if (revision == null || !Boolean.TRUE.equals(revision.get("ready"))) {
        err.println("ERROR: Revision [" + parts[0] + "] does not exist or is not ready.");
        return 1;
      }
      shares.put(parts[0], Integer.parseInt(parts[1]));
      total += Integer.parseInt(parts[1]);
    }
    if (total != 100) {
      err.println("fake gcloud: --to-revisions must name 100 percent, not " + total);
      return 3;
    }
    // Cloud Run keeps the tags; only the shares change.
    List<Map<String, Object>> traffic = new ArrayList<>();
    Map<String, Integer> pending = new LinkedHashMap<>(shares);
    for (Map<String, Object> target : traffic()) {
      if (target.get("tag") == null) {
        continue;
      }
      Map<String, Object> copy = new LinkedHashMap<>(target);
      Integer share = pending.remove((String) target.get("revisionName"));
      copy.put("percent", share == null ? 0 : share);
      traffic.add(copy);
    }
    pending.forEach(
        (revision, share) ->
            traffic.add(new LinkedHashMap<>(Map.of("revisionName", revision, "percent", share))));
    service.put("traffic", traffic);
    out.println("Traffic: " + shares);
    return 0;
  }

  private int revisionsList() {
    List<Object> list = new ArrayList<>();
    for (Map<String, Object> revision : revisions()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put(
          "metadata",
          Map.of("name", revision.get("name"), "creationTimestamp", revision.get("created")));
      json.put(
          "status",
          Map.of(
              "conditions",
              List.of(
                  Map.of(
                      "type",
                      "Ready",
                      "status",
                      Boolean.TRUE.equals(revision.get("ready")) ? "True" : "False"))));
      list.add(json);
    }
    out.println(Json.write(list));
    return 0;
  }

  /** Cloud Run refuses to delete a revision that traffic names (by share or tag). */
  private int revisionsDelete(String name) {
    if (revision(name) == null) {
      err.println(
          "ERROR: (gcloud.run.revisions.delete) Revision [" + name + "] could not be found.");
      return 1;
    }
    if (service() != null && traffic().stream().anyMatch(t -> name.equals(t.get("revisionName")))) {
      err.println(
          "ERROR: (gcloud.run.revisions.delete) Revision [" + name + "] is referenced by traffic.");
      return 1;
    }
    revisions().removeIf(r -> r.get("name").equals(name));
    out.println("Deleted revision [" + name + "].");
    return 0;
  }

  /**
   * The service URL reaches whatever serves: while one revision has all traffic and a test routed
   * its image, that instance; otherwise a URL that answers nothing.
   */
  @SuppressWarnings("unchecked")
  private String serviceUrl(String name) {
    Map<String, Object> urls = (Map<String, Object>) state.getOrDefault("urls", Map.of());
    for (Map<String, Object> target : traffic()) {
      if (((Number) target.getOrDefault("percent", 0)).intValue() == 100) {
        Object url = urls.get(revision((String) target.get("revisionName")).get("image"));
        if (url != null) {
          return (String) url;
        }
      }
    }
    return "https://" + name + "-fake.a.run.app";
  }

  @SuppressWarnings("unchecked")
  private String tagUrl(String revision) {
    Map<String, Object> urls = (Map<String, Object>) state.getOrDefault("urls", Map.of());
    Object url = urls.get(revision(revision).get("image"));
    return url == null ? "http://127.0.0.1:9" : (String) url;
  }

  // ---- Cloud Run jobs

  @SuppressWarnings("unchecked")
  private Map<String, Object> jobs() {
    return (Map<String, Object>) state.computeIfAbsent("jobs", k -> new LinkedHashMap<>());
  }

  private int jobsDeploy(String name) {
    jobs().put(name, new LinkedHashMap<>(flags));
    out.println("Job [" + name + "] has successfully been deployed.");
    return 0;
  }

  @SuppressWarnings("unchecked")
  private int jobsExecute(String name) {
    if (!jobs().containsKey(name)) {
      err.println("ERROR: (gcloud.run.jobs.execute) Job [" + name + "] could not be found.");
      return 1;
    }
    List<Object> executions =
        (List<Object>) state.computeIfAbsent("executions", k -> new ArrayList<>());
    String execution = name + "-" + String.format("%05d", executions.size());
    executions.add(Map.of("name", execution, "flags", new LinkedHashMap<>(flags)));
    out.println("Execution [" + execution + "] has successfully started running.");
    return 0;
  }

  // ---- registry and secrets

  @SuppressWarnings("unchecked")
  private int imageDescribe(String image) {
    if (((List<Object>) state.getOrDefault("missingImages", List.of())).contains(image)) {
      err.println("ERROR: (gcloud.artifacts.docker.images.describe) NOT_FOUND: " + image);
      return 1;
    }
    int at = image.indexOf('@');
    out.println(at >= 0 ? image.substring(at + 1) : digestOfTag(image));
    return 0;
  }

  /** A tag's digest here: the SHA-256 of its name, so a test can compute what to expect. */
  static String digestOfTag(String reference) {
    try {
      byte[] hash =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(reference.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + java.util.HexFormat.of().formatHex(hash);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> secrets() {
    return (Map<String, Object>) state.computeIfAbsent("secrets", k -> new LinkedHashMap<>());
  }

  private int secretAccess(String name) {
    Object data = secrets().get(name);
    if (data == null) {
      return notFound("secrets " + name);
    }
    out.print(data);
    return 0;
  }

  private int secretAdd(String name, boolean create) {
    String key = "secrets " + name;
    if (create == resources().contains(key)) {
      return create ? alreadyExists(key) : notFound(key);
    }
    try {
      secrets().put(name, Files.readString(Path.of(flags.get("--data-file"))));
    } catch (IOException e) {
      err.println("ERROR: (gcloud.secrets) Unable to read file [" + flags.get("--data-file") + "]");
      return 1;
    }
    if (create) {
      resources().add(key);
    }
    return 0;
  }

  private int alreadyExists(String key) {
    err.println("ERROR: (gcloud) ALREADY_EXISTS: " + key);
    return 1;
  }

  // ---- Cloud Logging sinks

  /**
   * A sink: its destination, filter and writer identity (each sink its own, as a sink created with
   * a unique writer identity has), prints the identity for --format='value(writerIdentity)'.
   */
  private int sinkDescribe(String name) {
    Map<String, Object> sink = sinks().get(name);
    if (sink == null) {
      return notFound("sinks " + name);
    }
    String format = flags.getOrDefault("--format", "");
    if (format.equals("value(writerIdentity)")) {
      out.println(sink.get("writerIdentity"));
    } else if (!format.isEmpty()) {
      err.println("fake gcloud: unsupported format " + format);
      return 3;
    }
    return 0;
  }

  private int sinkWrite(String name, String destination, boolean create) {
    Map<String, Object> sink = sinks().get(name);
    if (create == (sink != null)) {
      return create ? alreadyExists("sinks " + name) : notFound("sinks " + name);
    }
    if (!destination.matches(
        "(bigquery\\.googleapis\\.com/projects/[^/]+/datasets/\\w+|storage\\.googleapis\\.com/[a-z0-9_.-]+)")) {
      err.println("ERROR: (gcloud.logging.sinks) INVALID_ARGUMENT: destination " + destination);
      return 1;
    }
    String filter = flags.get("--log-filter");
    if (filter == null || filter.isBlank()) {
      err.println("ERROR: (gcloud.logging.sinks) a sink without --log-filter routes every entry");
      return 1;
    }
    if (create) {
      sink = new LinkedHashMap<>();
      sink.put(
          "writerIdentity",
          "serviceAccount:service-"
              + PROJECT_NUMBER
              + "-"
              + sinks().size()
              + "@gcp-sa-logging.iam.gserviceaccount.com");
      sink.put("partitioned", flags.containsKey("--use-partitioned-tables"));
      sinks().put(name, sink);
    }
    sink.put("destination", destination);
    sink.put("filter", filter);
    return 0;
  }

  // ---- Cloud Scheduler

  /** The directory that holds bucket NAME's objects, in a fake's state directory. */
  public static Path bucket(Path stateDir, String name) {
    return stateDir.resolve("buckets").resolve(name);
  }

  /** Copies gs://BUCKET/PREFIX/ (every object under it, as gcloud does with --recursive). */
  private int storageRsync(String source, Path destination) {
    if (!source.startsWith("gs://") || !flags.containsKey("--recursive")) {
      err.println("fake gcloud: only storage rsync gs://... DIR --recursive");
      return 3;
    }
    Path from = buckets.resolve(source.substring("gs://".length()));
    if (!Files.isDirectory(from)) {
      err.println("ERROR: (gcloud.storage.rsync) The following URLs matched no objects: " + source);
      return 1;
    }
    try (var walk = Files.walk(from)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        Path to = destination.resolve(from.relativize(file).toString());
        Files.createDirectories(to.getParent());
        Files.copy(file, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      err.println("ERROR: (gcloud.storage.rsync) " + e);
      return 1;
    }
    return 0;
  }

  /** An HTTP scheduler job: its flags, kept as given (schedule, URI, service account). */
  private int schedulerWrite(String name, boolean create) {
    if (!positional.get(3).equals("http")) {
      err.println("fake gcloud: only http scheduler jobs");
      return 3;
    }
    if (create == schedulers().containsKey(name)) {
      return create ? alreadyExists("scheduler jobs " + name) : notFound("scheduler jobs " + name);
    }
    schedulers().put(name, new LinkedHashMap<>(flags));
    return 0;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Map<String, Object>> schedulers() {
    return (Map<String, Map<String, Object>>)
        state.computeIfAbsent("schedulers", k -> new LinkedHashMap<>());
  }

  @SuppressWarnings("unchecked")
  private Map<String, Map<String, Object>> sinks() {
    return (Map<String, Map<String, Object>>)
        state.computeIfAbsent("sinks", k -> new LinkedHashMap<>());
  }

  @SuppressWarnings("unchecked")
  private List<String> bindings() {
    return (List<String>) state.computeIfAbsent("bindings", k -> new ArrayList<>());
  }

  // ---- setup resources

  /** "KIND NAME" of the resource a describe/create names, e.g. "service-accounts x@p.iam...". */
  private String resourceKey() {
    String kind = positional.get(positional.size() - 3);
    String name = positional.get(positional.size() - 1);
    if (kind.equals("providers")) {
      return "provider " + flags.get("--workload-identity-pool") + "/" + name;
    }
    if (kind.equals("service-accounts") && !name.contains("@")) {
      name = name + "@" + flags.get("--project") + ".iam.gserviceaccount.com";
    }
    return kind + " " + name;
  }

  private int notFound(String key) {
    err.println("ERROR: (gcloud) NOT_FOUND: " + key);
    return 1;
  }

  // ---- state

  @SuppressWarnings("unchecked")
  private Map<String, Object> service() {
    return (Map<String, Object>) state.get("service");
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> traffic() {
    return (List<Map<String, Object>>) service().get("traffic");
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> revisions() {
    return (List<Map<String, Object>>) state.computeIfAbsent("revisions", k -> new ArrayList<>());
  }

  private Map<String, Object> revision(String name) {
    return revisions().stream().filter(r -> r.get("name").equals(name)).findFirst().orElse(null);
  }

  @SuppressWarnings("unchecked")
  private List<String> resources() {
    return (List<String>) state.computeIfAbsent("resources", k -> new ArrayList<>());
  }

  private void save() throws IOException {
    Files.writeString(stateFile, new Yaml().dump(state));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> load(Path file) throws IOException {
    Object loaded = new Yaml().load(Files.readString(file));
    return loaded == null ? new LinkedHashMap<>() : (Map<String, Object>) loaded;
  }

  /** Just enough JSON for what gcloud --format=json prints here. */
  static final class Json {
    static String write(Object value) {
      StringBuilder json = new StringBuilder();
      write(value, json);
      return json.toString();
    }

    private static void write(Object value, StringBuilder json) {
      if (value instanceof Map<?, ?> map) {
        json.append('{');
        String separator = "";
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          json.append(separator);
          write(String.valueOf(entry.getKey()), json);
          json.append(':');
          write(entry.getValue(), json);
          separator = ",";
        }
        json.append('}');
      } else if (value instanceof List<?> list) {
        json.append('[');
        for (int i = 0; i < list.size(); i++) {
          json.append(i == 0 ? "" : ",");
          write(list.get(i), json);
        }
        json.append(']');
      } else if (value instanceof Number || value instanceof Boolean || value == null) {
        json.append(value);
      } else {
        json.append('"')
            .append(String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\""))
            .append('"');
      }
    }
  }
}
