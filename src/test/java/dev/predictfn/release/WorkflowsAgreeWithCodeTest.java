package dev.predictfn.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The release workflows and {@code cloudrun/service.yaml} agree with the code: the service's name,
 * port and environment are the application's, the image the workflow pushes is the one the build
 * makes, every repository variable the workflows read is one the setup script prints, every action
 * is pinned to a commit, and permissions are granted per job, least first.
 */
class WorkflowsAgreeWithCodeTest {
  private static final Path WORKFLOWS = Path.of(".github", "workflows");
  private static final Pattern VARS = Pattern.compile("vars\\.([A-Z0-9_]+)");
  private static final Pattern PINNED =
      Pattern.compile("[\\w.-]+/[\\w./-]+@[0-9a-f]{40} # v\\d+\\.\\d+\\.\\d+");

  @Test
  void serviceYamlRunsWhatTheApplicationReads() throws Exception {
    Map<String, Object> service = yaml(Path.of("cloudrun", "service.yaml"));
    String pom = Files.readString(Path.of("pom.xml"));
    String applicationYml = Files.readString(Path.of("src/main/resources/application.yml"));

    assertEquals("prediction-function", child(service, "metadata").get("name"));
    assertTrue(pom.contains("<artifactId>prediction-function</artifactId>"));
    assertTrue(pom.contains("<image.name>prediction-function:${project.version}</image.name>"));

    Map<String, Object> container = container(service);
    int port =
        (Integer)
            ((List<Map<String, Object>>) list(container, "ports")).get(0).get("containerPort");
    assertTrue(applicationYml.contains("port: ${PORT:" + port + "}"), "application.yml's port");

    // Every variable the service sets is one the application reads.
    Set<String> read = new TreeSet<>();
    Matcher placeholder = Pattern.compile("\\$\\{([A-Z_]+)").matcher(applicationYml);
    while (placeholder.find()) {
      read.add(placeholder.group(1));
    }
    Matcher logging =
        Pattern.compile("env\\(\"([A-Z_]+)\"\\)")
            .matcher(
                Files.readString(
                    Path.of("src/main/java/dev/predictfn/logging/CloudLoggingConfigurator.java")));
    while (logging.find()) {
      read.add(logging.group(1));
    }
    for (Map<String, Object> variable : list(container, "env")) {
      assertTrue(read.contains(variable.get("name")), variable.get("name") + " is read by " + read);
    }
    // The smoke test's identity token is minted for the audience the service accepts.
    String audience =
        (String)
            child(child(service, "metadata"), "annotations")
                .get("run.googleapis.com/custom-audiences");
    assertEquals("[\"prediction-function\"]", audience);
    assertTrue(
        Files.readString(WORKFLOWS.resolve("deliver.yml"))
            .contains("id_token_audience: prediction-function"));
  }

  @Test
  void releasePushesTheImageTheBuildMakesOnSemVerTags() throws Exception {
    Map<String, Object> release = yaml(WORKFLOWS.resolve("release.yml"));
    assertEquals(Map.of("tags", List.of("v*.*.*")), on(release).get("push"));
    String text = Files.readString(WORKFLOWS.resolve("deliver.yml"));
    assertTrue(
        text.contains(
            "REPOSITORY: ${{ vars.GCP_REGION }}-docker.pkg.dev/${{ vars.GCP_PROJECT_ID }}/${{"
                + " vars.GCP_ARTIFACT_REPOSITORY }}/prediction-function"));
    assertTrue(text.contains("bash cloudrun/push-image.sh"));
    assertTrue(text.contains("bash cloudrun/release.sh"));
    assertTrue(
        text.contains("IMAGE: ${{ needs.build.outputs.image }}"), "deploys the pushed digest");
    assertEquals("./.github/workflows/ci.yml", child(jobs(release), "test").get("uses"));
    Map<String, Object> deliver = child(jobs(release), "deliver");
    assertEquals(List.of("version", "test"), deliver.get("needs"));
    assertEquals("./.github/workflows/deliver.yml", deliver.get("uses"));
    assertEquals(
        Map.of("version", "${{ needs.version.outputs.version }}", "tag", "${{ github.ref_name }}"),
        deliver.get("with"),
        "a tag's release trains in the build: no candidate");
    assertTrue(Files.readString(WORKFLOWS.resolve("ci.yml")).contains("run: bash .ci/run"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void aCandidateIsReleasedThroughTheSameBuildAndGatesOnlyOnceVerified() throws Exception {
    Map<String, Object> candidate = yaml(WORKFLOWS.resolve("candidate.yml"));
    Map<String, Object> inputs =
        child((Map<String, Object>) on(candidate).get("workflow_dispatch"), "inputs");
    assertEquals(Set.of("candidate", "sha256", "version"), inputs.keySet());
    assertEquals(
        yaml(WORKFLOWS.resolve("release.yml")).get("concurrency"),
        candidate.get("concurrency"),
        "a candidate and a tag's release never run at once");
    assertEquals("./.github/workflows/ci.yml", child(jobs(candidate), "test").get("uses"));
    Map<String, Object> deliver = child(jobs(candidate), "deliver");
    assertEquals(List.of("version", "test"), deliver.get("needs"));
    assertEquals("./.github/workflows/deliver.yml", deliver.get("uses"));
    Map<String, Object> with = child(deliver, "with");
    assertEquals("${{ inputs.candidate }}", with.get("candidate"));
    assertEquals("${{ inputs.sha256 }}", with.get("candidate-sha256"));
    // The build fetches and checks the candidate before it builds, and hands it to push-image.sh,
    // whose build verifies it again (tools adopt) and checks the image's card names it.
    List<Map<String, Object>> steps =
        list(child(jobs(yaml(WORKFLOWS.resolve("deliver.yml"))), "build"), "steps");
    int fetch = -1;
    int push = -1;
    for (int i = 0; i < steps.size(); i++) {
      String run = String.valueOf(steps.get(i).get("run"));
      fetch = run.contains("bash cloudrun/fetch-candidate.sh") ? i : fetch;
      push = run.contains("bash cloudrun/push-image.sh") ? i : push;
    }
    assertTrue(fetch >= 0 && fetch < push, "fetch-candidate.sh before push-image.sh: " + steps);
    assertTrue(String.valueOf(steps.get(push).get("run")).contains("--candidate-sha256"));
    assertTrue(Files.readString(Path.of("cloudrun/push-image.sh")).contains("-Dmodel.candidate="));
    assertTrue(Files.readString(Path.of("pom.xml")).contains("dev.predictfn.tools.Tools adopt"));
  }

  @Test
  void theShadowGateGetsTheComparisonSetsOfTheBuildThatMadeTheImage() throws Exception {
    // The build writes them where compare.sh looks by default...
    assertTrue(
        Files.readString(Path.of("pom.xml"))
            .contains("--comparison-dir \"${model.bundle.root}/comparison\""));
    assertTrue(
        Files.readString(Path.of("cloudrun/compare.sh"))
            .contains("\"$project\"/target/model-bundle/comparison/*.csv"));
    // ...the build job keeps them with the release's artifact, and the deploy job puts them back.
    Map<String, Object> jobs = jobs(yaml(WORKFLOWS.resolve("deliver.yml")));
    Map<String, Object> upload =
        list(child(jobs, "build"), "steps").stream()
            .filter(step -> String.valueOf(step.get("uses")).startsWith("actions/upload-artifact"))
            .findFirst()
            .map(step -> child(step, "with"))
            .orElseThrow();
    assertTrue(String.valueOf(upload.get("path")).contains("target/model-bundle/comparison/"));
    Map<String, Object> download =
        list(child(jobs, "deploy"), "steps").stream()
            .filter(
                step -> String.valueOf(step.get("uses")).startsWith("actions/download-artifact"))
            .findFirst()
            .map(step -> child(step, "with"))
            .orElseThrow();
    assertEquals(upload.get("name"), download.get("name"));
    assertEquals("target", download.get("path"));
  }

  @Test
  void permissionsAreGrantedPerJobAndOnlyDeployersMayAskForATokenFromGoogle() throws Exception {
    for (Path file : workflows()) {
      Map<String, Object> workflow = yaml(file);
      Object top = workflow.get("permissions");
      assertTrue(
          Map.of().equals(top) || Map.of("contents", "read").equals(top),
          file + ": top-level permissions " + top);
      for (Map.Entry<String, Object> job : jobs(workflow).entrySet()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) job.getValue();
        @SuppressWarnings("unchecked")
        Map<String, Object> permissions = (Map<String, Object>) body.get("permissions");
        assertTrue(permissions != null, file + " job " + job.getKey() + " states its permissions");
        boolean deploys =
            Set.of("build", "deploy", "deliver", "rollback", "canary").contains(job.getKey());
        assertEquals(
            deploys ? "write" : null, permissions.get("id-token"), file + " job " + job.getKey());
        assertEquals("read", permissions.get("contents"), file + " job " + job.getKey());
        assertEquals(
            deploys ? 2 : 1,
            permissions.size(),
            file + " job " + job.getKey() + ": " + permissions);
      }
    }
    // A release and a rollback never run at once.
    Object release = yaml(WORKFLOWS.resolve("release.yml")).get("concurrency");
    assertEquals(release, yaml(WORKFLOWS.resolve("rollback.yml")).get("concurrency"));
    assertEquals(false, ((Map<?, ?>) release).get("cancel-in-progress"));
    // A canary is promoted or aborted by hand while the release job holds it, so never queued
    // behind the release.
    assertNotEquals(release, yaml(WORKFLOWS.resolve("canary.yml")).get("concurrency"));
  }

  @Test
  void everyActionIsPinnedToACommitWithItsVersion() throws Exception {
    int uses = 0;
    for (Path file : workflows()) {
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.strip();
        if (!trimmed.startsWith("- uses:") && !trimmed.startsWith("uses:")) {
          continue;
        }
        String reference = trimmed.substring(trimmed.indexOf("uses:") + 5).strip();
        if (reference.startsWith("./")) {
          continue;
        }
        uses++;
        assertTrue(PINNED.matcher(reference).matches(), file + ": " + reference);
      }
    }
    assertTrue(uses >= 10, "found " + uses + " action references");
  }

  @Test
  void everyRepositoryVariableIsOneTheSetupPrintsAndTheOperationsGuideNames() throws Exception {
    String setup = Files.readString(Path.of("cloudrun", "setup-wif.sh"));
    String guide = Files.readString(Path.of("docs", "operations.md"));
    Set<String> used = new TreeSet<>();
    for (Path file : workflows()) {
      Matcher matcher = VARS.matcher(Files.readString(file));
      while (matcher.find()) {
        used.add(matcher.group(1));
      }
    }
    assertEquals(
        Set.of(
            "GCP_PROJECT_ID",
            "GCP_REGION",
            "GCP_ARTIFACT_REPOSITORY",
            "CLOUD_RUN_SERVICE",
            "GCP_WORKLOAD_IDENTITY_PROVIDER",
            "GCP_DEPLOYER_SERVICE_ACCOUNT",
            "DEBIAN_MIRROR"),
        used);
    for (String name : used) {
      assertTrue(setup.contains("gh variable set " + name + " "), "setup-wif.sh prints " + name);
      assertTrue(guide.contains("`" + name + "`"), "docs/operations.md documents " + name);
    }
    assertFalse(
        Stream.of(setup, Files.readString(WORKFLOWS.resolve("deliver.yml")))
            .anyMatch(text -> text.contains("credentials_json") || text.contains("keys create")),
        "no service account key anywhere");
  }

  @Test
  void everyDocumentSectionTheScriptsAndWorkflowsNameExists() throws Exception {
    Pattern reference =
        Pattern.compile("(RUNBOOK\\.md|docs/[a-z-]+\\.md), \\\\?\"([^\"\\\\]+)\\\\?\"");
    int references = 0;
    List<Path> files = new ArrayList<>(workflows());
    try (Stream<Path> tree = Files.walk(Path.of("cloudrun"))) {
      tree.filter(Files::isRegularFile).forEach(files::add);
    }
    for (Path file : files) {
      Matcher matcher = reference.matcher(Files.readString(file));
      while (matcher.find()) {
        references++;
        String document = Files.readString(Path.of(matcher.group(1)));
        assertTrue(
            document.contains("\n## " + matcher.group(2) + "\n"),
            file
                + " refers to "
                + matcher.group(1)
                + " section \""
                + matcher.group(2)
                + "\", which does not exist");
      }
    }
    assertTrue(references >= 8, references + " references");
  }

  private static List<Path> workflows() throws IOException {
    try (Stream<Path> files = Files.list(WORKFLOWS)) {
      List<Path> list =
          new ArrayList<>(files.filter(f -> f.toString().endsWith(".yml")).sorted().toList());
      assertEquals(6, list.size(), list.toString());
      return list;
    }
  }

  private static Map<String, Object> yaml(Path file) throws IOException {
    return new Yaml().load(Files.readString(file));
  }

  /** The "on" key, which YAML 1.1 (SnakeYAML) reads as the boolean true. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> on(Map<String, Object> workflow) {
    Object on =
        workflow.containsKey("on")
            ? workflow.get("on")
            : ((Map<Object, Object>) (Map<?, ?>) workflow).get(Boolean.TRUE);
    return (Map<String, Object>) on;
  }

  private static Map<String, Object> jobs(Map<String, Object> workflow) {
    return child(workflow, "jobs");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> container(Map<String, Object> service) {
    Map<String, Object> spec = child(child(child(service, "spec"), "template"), "spec");
    return ((List<Map<String, Object>>) spec.get("containers")).get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> parent, String key) {
    return (Map<String, Object>) parent.get(key);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
    return (List<Map<String, Object>>) parent.get(key);
  }
}
