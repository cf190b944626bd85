package dev.predictfn.release;

import static dev.predictfn.release.CloudRunSandbox.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.release.CloudRunSandbox.Result;
import dev.predictfn.support.Bundles;
import dev.predictfn.support.CloudRunService;
import dev.predictfn.support.Json;
import dev.predictfn.support.RequiresCommands;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The release path of {@code .github/workflows/release.yml} and {@code rollback.yml}: the scripts
 * in {@code cloudrun/} against {@link FakeGcloud} and real running instances of this service (tag
 * URLs point at them). A revision is promoted only after its smoke test passed; a failed deploy or
 * smoke test leaves traffic where it was; "previous" rolls back to the right revision.
 */
@RequiresCommands({"bash", "jq", "curl"})
class ReleaseScriptsTest {
  private static EmbeddedServer serving;
  private static EmbeddedServer unready;
  private static String version;

  @TempDir Path dir;
  private CloudRunSandbox cloud;

  @BeforeAll
  static void startInstances(@TempDir Path empty) {
    serving = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1));
    // No bundle at MODEL_PATH: live, never ready (the startup probe of a bad revision).
    unready =
        ApplicationContext.run(
            EmbeddedServer.class,
            Map.of("micronaut.server.port", -1, "predict.model.path", empty.toString()));
    String card = new String(Bundles.builtIn("model-card.json"), StandardCharsets.UTF_8);
    version = Json.parse(card).get("model_version").getStringValue();
  }

  @AfterAll
  static void stopInstances() {
    serving.close();
    unready.close();
  }

  @BeforeEach
  void sandbox() throws Exception {
    cloud = new CloudRunSandbox(dir);
  }

  private Result release(String tag, String image) {
    return cloud.run("release.sh", "--tag", tag, "--image", image);
  }

  private String servingUrl() {
    return serving.getURL().toString();
  }

  @Test
  void firstReleaseCreatesTheServiceAndLaterReleasesMoveTrafficOnlyAfterTheirSmokeTest()
      throws Exception {
    cloud.route(image(1), servingUrl());
    cloud.route(image(2), servingUrl());

    Result first = release("v" + version, image(1));
    assertEquals(0, first.status(), first.describe());
    String revision1 = first.output("revision");
    assertEquals("prediction-function-v" + version.replace('.', '-') + "-" + digest(1), revision1);
    assertEquals(Map.of(revision1, 100), cloud.traffic());
    assertTrue(first.out().contains("smoke: passed (3 rows, version " + version), first.describe());

    Result second = release("v" + version, image(2));
    assertEquals(0, second.status(), second.describe());
    String revision2 = second.output("revision");
    assertEquals(Map.of(revision2, 100), cloud.traffic());

    // The new revision was created with no traffic, smoke-tested, and only then promoted.
    List<List<String>> calls = cloud.calls();
    int replace = indexOf(calls, "run", "services", "replace", 2);
    int promote = indexOf(calls, "run", "services", "update-traffic", 2);
    assertTrue(replace >= 0 && promote > replace, calls.toString());
    Map<String, Object> rendered = renderedService(version);
    assertEquals(
        List.of(
            Map.of("revisionName", revision1, "percent", 100),
            Map.of(
                "revisionName", revision2, "tag", "v" + version.replace('.', '-'), "percent", 0)),
        spec(rendered).get("traffic"));

    String summary = Files.readString(cloud.summary);
    assertTrue(summary.contains(image(2)), summary);
    assertTrue(summary.contains(revision2), summary);
    assertTrue(summary.contains("| Smoke test | passed |"), summary);
    assertTrue(summary.contains("service URL " + servingUrl()), summary);
    assertTrue(summary.contains("### Shadow comparison: pass"), summary);
  }

  @Test
  void aReleaseServingTheWrongVersionIsNotPromoted() throws Exception {
    String revision1 = releaseOk(1);
    cloud.route(image(2), servingUrl());

    // The instance serves the built-in model; a release tagged otherwise must not pass.
    Result result = release("v9.8.7", image(2));
    assertNotEquals(0, result.status(), result.describe());
    assertTrue(
        result.err().contains("serves model version '" + version + "', the release is '9.8.7'"),
        result.describe());
    assertEquals(Map.of(revision1, 100), cloud.traffic());
    assertTrue(
        cloud.calls("run", "services", "update-traffic").stream()
            .allMatch(
                call ->
                    call.contains("--to-revisions=" + revision1 + "=100")
                        || call.contains("--remove-tags=v9-8-7")),
        "traffic only ever went to release 1: " + cloud.calls("run", "services", "update-traffic"));
    assertTrue(Files.readString(cloud.summary).contains("**failed**: traffic not moved"));
    // The failed revision is gone, so nothing can give it traffic later.
    assertEquals(1, cloud.calls("run", "revisions", "delete").size());
    assertTrue(
        cloud
            .run("rollback.sh", "--to", "prediction-function-v9-8-7-" + digest(2))
            .err()
            .contains("is not a ready revision"));
  }

  @Test
  void aRevisionThatNeverBecomesReadyForTheSmokeTestIsNotPromoted() throws Exception {
    String revision1 = releaseOk(1);
    cloud.route(image(2), unready.getURL().toString());

    Result result = release("v" + version, image(2));
    assertNotEquals(0, result.status(), result.describe());
    assertTrue(result.err().contains("/health/readiness did not answer 200"), result.describe());
    assertEquals(Map.of(revision1, 100), cloud.traffic());
  }

  @Test
  void aSmokeTestPredictingAnotherLabelIsNotPromoted() throws Exception {
    String revision1 = releaseOk(1);
    cloud.route(image(2), servingUrl());
    Path cases = dir.resolve("cases.json");
    Files.writeString(cases, "[{\"features\":[5.1,3.5,1.4,0.2],\"prediction\":\"virginica\"}]");

    Result result =
        cloud.run(
            "release.sh",
            Map.of("SMOKE_CASES", cases.toString()),
            "--tag",
            "v" + version,
            "--image",
            image(2));
    assertNotEquals(0, result.status(), result.describe());
    assertTrue(
        result.err().contains("predicted 'setosa', expected 'virginica'"), result.describe());
    assertEquals(Map.of(revision1, 100), cloud.traffic());
  }

  @Test
  void aFailedDeployLeavesTrafficUntouchedAndRunsNoSmokeTest() throws Exception {
    String revision1 = releaseOk(1);
    cloud.failToStart(image(2));

    Result result = release("v" + version, image(2));
    assertNotEquals(0, result.status(), result.describe());
    assertTrue(
        result.err().contains("did not become ready; traffic was not moved"), result.describe());
    assertFalse(result.out().contains("smoke:"), result.describe());
    assertEquals(Map.of(revision1, 100), cloud.traffic());
    assertEquals(1, cloud.calls("run", "services", "update-traffic").size(), "only release 1's");
  }

  @Test
  void malformedTagsFailFastWithoutTouchingGoogleCloud() throws Exception {
    for (String tag : List.of("1.2.3", "v1.2", "v1.2.3+build.5", "v01.2.3", "release-1", "")) {
      Result result = release(tag, image(1));
      assertNotEquals(0, result.status(), tag + ": " + result.describe());
      assertTrue(result.err().contains("is not a release tag"), tag + ": " + result.describe());
    }
    assertTrue(cloud.calls().isEmpty(), cloud.calls().toString());
  }

  @Test
  void onlyImagesNamedByDigestAreDeployed() throws Exception {
    String mutable = image(1).replaceAll("@sha256:.*", ":1.2.3");
    Result result = cloud.run("deploy.sh", "--version", "1.2.3", "--image", mutable);
    assertNotEquals(0, result.status());
    assertTrue(result.err().contains("never by a tag"), result.describe());
    assertTrue(cloud.calls().isEmpty());
  }

  @Test
  void aCollectorDigestTheRegistryLacksStopsTheDeployBeforeAnyChange() throws Exception {
    String collector = collectorImage();
    cloud.removeFromRegistry(collector);
    Result result = cloud.run("deploy.sh", "--version", "1.2.3", "--image", image(1));
    assertNotEquals(0, result.status(), result.describe());
    assertTrue(result.err().contains("the registry has no image " + collector), result.describe());
    assertTrue(result.err().contains("cloudrun/pin-sidecar.sh --tag VERSION"), result.describe());
    assertEquals(-1, indexOf(cloud.calls(), "run", "services", "replace", 1), "nothing replaced");
  }

  @Test
  void pinSidecarRewritesOnlyTheCollectorsImageLineWithTheTagsDigest() throws Exception {
    Path copy = dir.resolve("service.yaml");
    String original = Files.readString(CloudRunService.FILE);
    Files.writeString(copy, original);
    String repository = collectorImage().substring(0, collectorImage().indexOf('@'));
    String pinned = repository + "@" + FakeGcloud.digestOfTag(repository + ":1.2.0");

    Result dry =
        cloud.run("pin-sidecar.sh", "--tag", "1.2.0", "--file", copy.toString(), "--dry-run");
    assertEquals(0, dry.status(), dry.describe());
    assertEquals("image: " + pinned, dry.out().trim());
    assertEquals(original, Files.readString(copy), "a dry run changes nothing");

    Result pin = cloud.run("pin-sidecar.sh", "--tag", "1.2.0", "--file", copy.toString());
    assertEquals(0, pin.status(), pin.describe());
    assertEquals(
        original.replace(collectorImage(), pinned), Files.readString(copy), "only that line");

    cloud.removeFromRegistry(repository + ":9.9.9");
    Result missing = cloud.run("pin-sidecar.sh", "--tag", "9.9.9", "--file", copy.toString());
    assertNotEquals(0, missing.status());
    assertTrue(missing.err().contains("the registry has no tag 9.9.9"), missing.describe());
  }

  @SuppressWarnings("unchecked")
  private static String collectorImage() throws Exception {
    Map<String, Object> service = new Yaml().load(Files.readString(CloudRunService.FILE));
    Map<String, Object> spec = child(child(spec(service), "template"), "spec");
    return (String) ((List<Map<String, Object>>) spec.get("containers")).get(1).get("image");
  }

  @Test
  void theRenderedServiceIsServiceYamlWithTheImageRevisionAndTraffic() throws Exception {
    Result result = cloud.run("deploy.sh", "--version", "2.0.0-rc.1", "--image", image(3));
    assertEquals(0, result.status(), result.describe());

    Path file = cloud.releaseDir.resolve("service-2.0.0-rc.1.yaml");
    String text = Files.readString(file);
    for (String placeholder : List.of("PROJECT_ID", "REGION-", "REPOSITORY", "DIGEST")) {
      assertFalse(text.contains(placeholder), placeholder + " left in\n" + text);
    }
    Map<String, Object> rendered = renderedService("2.0.0-rc.1");
    Map<String, Object> original = new Yaml().load(Files.readString(CloudRunService.FILE));
    // Everything but the three rendered fields is service.yaml's, the project filled in.
    Map<String, Object> template = child(spec(rendered), "template");
    assertEquals(
        "prediction-function-v2-0-0-rc-1-" + digest(3), child(template, "metadata").remove("name"));
    assertEquals(
        List.of(
            Map.of(
                "revisionName",
                "prediction-function-v2-0-0-rc-1-" + digest(3),
                "tag",
                "v2-0-0-rc-1",
                "percent",
                100)),
        spec(rendered).remove("traffic"));
    String expected =
        new Yaml()
            .dump(original)
            .replace("PROJECT_ID", CloudRunSandbox.PROJECT)
            .replace(
                "REGION-docker.pkg.dev/demo-project/REPOSITORY/prediction-function@sha256:DIGEST",
                image(3));
    assertEquals(expected, new Yaml().dump(rendered));
  }

  @Test
  void rollbackToPreviousPicksTheReadyRevisionBeforeTheOneServing() throws Exception {
    String r1 = releaseOk(1);
    String r2 = releaseOk(2);
    cloud.failToStart(image(3)); // a failed release in between: never ready, never a target
    assertNotEquals(0, release("v" + version, image(3)).status());
    cloud.route(image(6), servingUrl()); // and one that was ready but failed its smoke test
    assertNotEquals(0, release("v6.6.6", image(6)).status());
    String r4 = releaseOk(4);
    assertEquals(Map.of(r4, 100), cloud.traffic());

    Result back = cloud.run("rollback.sh", "--to", "previous");
    assertEquals(0, back.status(), back.describe());
    assertEquals(Map.of(r2, 100), cloud.traffic());
    assertTrue(back.out().contains(r2 + "  100%"), back.describe());

    assertEquals(0, cloud.run("rollback.sh", "--to", "previous").status());
    assertEquals(Map.of(r1, 100), cloud.traffic());

    Result none = cloud.run("rollback.sh", "--to", "previous");
    assertNotEquals(0, none.status());
    assertTrue(none.err().contains("no ready revision older than " + r1), none.describe());
    assertEquals(Map.of(r1, 100), cloud.traffic());

    // By name, forward again; a revision that never became ready is refused.
    assertEquals(0, cloud.run("rollback.sh", "--to", r4).status());
    assertEquals(Map.of(r4, 100), cloud.traffic());
    String failed = "prediction-function-v" + version.replace('.', '-') + "-" + digest(3);
    Result refused = cloud.run("rollback.sh", "--to", failed);
    assertNotEquals(0, refused.status());
    assertTrue(refused.err().contains("is not a ready revision"), refused.describe());
    assertEquals(Map.of(r4, 100), cloud.traffic());

    // After a rollback, the next release still moves traffic explicitly.
    assertEquals(0, cloud.run("rollback.sh", "--to", r2).status());
    String r5 = releaseOk(5);
    assertEquals(Map.of(r5, 100), cloud.traffic());
  }

  @Test
  void rollbackToPreviousRefusesWhileTrafficIsSplit() throws Exception {
    String r1 = releaseOk(1);
    cloud.route(image(2), servingUrl());
    Result deployed = cloud.run("deploy.sh", "--version", version, "--image", image(2));
    assertEquals(0, deployed.status(), deployed.describe());
    Map<String, Object> state = cloud.read();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> traffic =
        (List<Map<String, Object>>) ((Map<String, Object>) state.get("service")).get("traffic");
    traffic.get(0).put("percent", 90);
    traffic.get(1).put("percent", 10);
    Files.writeString(cloud.state.resolve("state.yaml"), new Yaml().dump(state));

    Result result = cloud.run("rollback.sh", "--to", "previous");
    assertNotEquals(0, result.status());
    assertTrue(result.err().contains("traffic is split"), result.describe());
    assertEquals(0, cloud.run("rollback.sh", "--to", r1).status());
    assertEquals(Map.of(r1, 100), cloud.traffic());
  }

  @Test
  void dryRunsChangeNothing() throws Exception {
    String r1 = releaseOk(1);
    Map<String, String> dry = Map.of("DRY_RUN", "1");
    assertEquals(
        0, cloud.run("deploy.sh", dry, "--version", version, "--image", image(2)).status());
    Result promote = cloud.run("promote.sh", dry, "--revision", "prediction-function-x");
    assertEquals(0, promote.status(), promote.describe());
    assertTrue(promote.err().contains("+ gcloud run services update-traffic prediction-function"));
    assertEquals(Map.of(r1, 100), cloud.traffic());
    assertEquals(1, cloud.calls("run", "services", "replace").size(), "release 1's only");
    assertEquals(1, cloud.calls("run", "services", "update-traffic").size(), "release 1's");
  }

  private String releaseOk(int seed) throws Exception {
    cloud.route(image(seed), servingUrl());
    Result result = release("v" + version, image(seed));
    assertEquals(0, result.status(), result.describe());
    return result.output("revision");
  }

  private Map<String, Object> renderedService(String version) throws Exception {
    return new Yaml()
        .load(Files.readString(cloud.releaseDir.resolve("service-" + version + ".yaml")));
  }

  private static String digest(int seed) {
    return image(seed).substring(image(seed).indexOf("@sha256:") + 8).substring(0, 8);
  }

  private static int indexOf(List<List<String>> calls, String a, String b, String c, int nth) {
    int seen = 0;
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).size() >= 3
          && calls.get(i).subList(0, 3).equals(List.of(a, b, c))
          && ++seen == nth) {
        return i;
      }
    }
    return -1;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(Map<String, Object> service) {
    return (Map<String, Object>) service.get("spec");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> parent, String key) {
    return (Map<String, Object>) parent.get(key);
  }
}
