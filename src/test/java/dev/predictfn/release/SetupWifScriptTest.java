package dev.predictfn.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.release.CloudRunSandbox.Result;
import dev.predictfn.support.RequiresCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cloudrun/setup-wif.sh} against {@link FakeGcloud}: it creates what an empty project lacks
 * with least privilege and a provider that admits only this repository, creates nothing the second
 * time, and changes nothing in a dry run.
 */
@RequiresCommands({"bash", "jq", "curl"})
class SetupWifScriptTest {
  static final String[] ARGS = {
    "--project", CloudRunSandbox.PROJECT,
    "--region", CloudRunSandbox.REGION,
    "--github-repository", "acme/prediction-function",
    "--github-repository-id", "123456",
    "--github-owner-id", "7890"
  };

  @TempDir Path dir;
  private CloudRunSandbox cloud;

  @BeforeEach
  void sandbox() throws Exception {
    cloud = new CloudRunSandbox(dir);
  }

  @Test
  void createsEverythingKeylessWithLeastPrivilege() throws Exception {
    Result result = cloud.run("setup-wif.sh", ARGS);
    assertEquals(0, result.status(), result.describe());

    assertEquals(1, cloud.calls("artifacts", "repositories", "create").size());
    assertEquals(2, cloud.calls("iam", "service-accounts", "create").size());
    assertEquals(1, cloud.calls("iam", "workload-identity-pools", "create").size());
    List<String> provider =
        single(cloud.calls("iam", "workload-identity-pools", "providers", "create-oidc"));
    String condition = flag(provider, "--attribute-condition");
    assertTrue(condition.contains("assertion.repository_id == '123456'"), condition);
    assertTrue(condition.contains("assertion.repository_owner_id == '7890'"), condition);
    assertTrue(condition.contains("refs/tags/v"), condition);
    assertTrue(
        flag(provider, "--attribute-mapping")
            .contains("attribute.repository_id=assertion.repository_id"));

    List<String> bindings =
        cloud.calls().stream()
            .filter(call -> call.contains("add-iam-policy-binding"))
            .map(call -> String.join(" ", call))
            .collect(Collectors.toList());
    String deployer =
        "serviceAccount:prediction-function-deployer@demo-project.iam.gserviceaccount.com";
    assertEquals(8, bindings.size(), bindings.toString());
    assertHas(
        bindings,
        "artifacts repositories add-iam-policy-binding prediction-function",
        deployer,
        "roles/artifactregistry.writer");
    assertHas(
        bindings, "projects add-iam-policy-binding demo-project", deployer, "roles/run.developer");
    assertHas(
        bindings, "projects add-iam-policy-binding demo-project", deployer, "roles/run.invoker");
    assertHas(
        bindings,
        "projects add-iam-policy-binding demo-project",
        deployer,
        "roles/monitoring.viewer");
    assertHas(
        bindings,
        "iam service-accounts add-iam-policy-binding prediction-function-runtime@",
        deployer,
        "roles/iam.serviceAccountUser");
    assertHas(
        bindings,
        "iam service-accounts add-iam-policy-binding prediction-function-deployer@",
        "principalSet://iam.googleapis.com/projects/"
            + FakeGcloud.PROJECT_NUMBER
            + "/locations/global/workloadIdentityPools/github/attribute.repository_id/123456",
        "roles/iam.workloadIdentityUser");
    // The runtime account may only write metrics and read the collector's configuration (its
    // sidecar's needs; the application calls no Google API), and no key is ever made.
    String runtime =
        "serviceAccount:prediction-function-runtime@demo-project.iam.gserviceaccount.com";
    assertEquals(
        List.of(
            "projects add-iam-policy-binding demo-project --member=" + runtime,
            "secrets add-iam-policy-binding prediction-function-run-monitoring --member="
                + runtime),
        bindings.stream()
            .filter(b -> b.contains(runtime))
            .map(b -> b.substring(0, b.indexOf(runtime) + runtime.length()))
            .collect(Collectors.toList()));
    assertHas(
        bindings, "projects add-iam-policy-binding", runtime, "roles/monitoring.metricWriter");
    assertHas(
        bindings,
        "secrets add-iam-policy-binding prediction-function-run-monitoring",
        runtime,
        "roles/secretmanager.secretAccessor");
    assertTrue(cloud.calls().stream().noneMatch(call -> call.contains("keys")));
    // The collector's configuration is the repository's file.
    assertEquals(
        Files.readString(PrometheusSidecarTest.RUN_MONITORING),
        cloud.secret("prediction-function-run-monitoring"));

    assertTrue(
        result
            .out()
            .contains(
                "gh variable set GCP_WORKLOAD_IDENTITY_PROVIDER --body 'projects/"
                    + FakeGcloud.PROJECT_NUMBER
                    + "/locations/global/workloadIdentityPools/github/providers/github-actions'"),
        result.out());
  }

  @Test
  void aSecondRunCreatesNothingAndReappliesTheCondition() throws Exception {
    assertEquals(0, cloud.run("setup-wif.sh", ARGS).status());
    int before = cloud.calls().size();

    Result again = cloud.run("setup-wif.sh", ARGS);
    assertEquals(0, again.status(), again.describe());
    List<List<String>> second = cloud.calls().subList(before, cloud.calls().size());
    assertTrue(
        second.stream().noneMatch(call -> call.contains("create") || call.contains("create-oidc")),
        second.toString());
    assertEquals(
        1, second.stream().filter(call -> call.contains("update-oidc")).count(), second.toString());
    assertTrue(
        second.stream().noneMatch(call -> call.contains("add") && call.contains("versions")));
  }

  @Test
  void aChangedCollectorConfigurationBecomesTheSecretsNewVersion() throws Exception {
    assertEquals(0, cloud.run("setup-wif.sh", ARGS).status());
    cloud.setSecret("prediction-function-run-monitoring", "an older configuration\n");

    Result again = cloud.run("setup-wif.sh", ARGS);
    assertEquals(0, again.status(), again.describe());
    assertEquals(1, cloud.calls("secrets", "versions", "add").size(), cloud.calls().toString());
    assertEquals(
        Files.readString(PrometheusSidecarTest.RUN_MONITORING),
        cloud.secret("prediction-function-run-monitoring"));
  }

  @Test
  void aDryRunPrintsTheChangesAndMakesNone() throws Exception {
    Result dry = cloud.run("setup-wif.sh", withDryRun());
    assertEquals(0, dry.status(), dry.describe());
    assertTrue(
        dry.err()
            .contains("+ gcloud iam workload-identity-pools providers create-oidc github-actions"),
        dry.err());
    assertTrue(
        dry.err().contains("+ gcloud artifacts repositories create prediction-function"),
        dry.err());
    assertTrue(
        cloud.calls().stream().allMatch(call -> call.contains("describe")),
        "only reads: " + cloud.calls());
  }

  @Test
  void refusesRepositoryNamesInsteadOfNumericIds() throws Exception {
    String[] args = ARGS.clone();
    args[7] = "acme/prediction-function";
    Result result = cloud.run("setup-wif.sh", args);
    assertNotEquals(0, result.status());
    assertTrue(result.err().contains("numeric id"), result.describe());
    assertFalse(cloud.calls().stream().anyMatch(call -> call.contains("create")));
  }

  static String[] withDryRun() {
    String[] args = java.util.Arrays.copyOf(ARGS, ARGS.length + 1);
    args[ARGS.length] = "--dry-run";
    return args;
  }

  private static void assertHas(List<String> bindings, String... parts) {
    assertTrue(
        bindings.stream().anyMatch(b -> java.util.Arrays.stream(parts).allMatch(b::contains)),
        String.join(" + ", parts) + " in " + bindings);
  }

  private static List<String> single(List<List<String>> calls) {
    assertEquals(1, calls.size(), calls.toString());
    return calls.get(0);
  }

  private static String flag(List<String> call, String name) {
    return call.stream()
        .filter(arg -> arg.startsWith(name + "="))
        .map(arg -> arg.substring(name.length() + 1))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " missing in " + call));
  }
}
