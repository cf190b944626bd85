package dev.predictfn.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.monitoring.MetricsController;
import dev.predictfn.support.CloudRunService;
import io.micronaut.http.annotation.Get;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Managed Service for Prometheus sidecar of {@code cloudrun/service.yaml} is wired to the
 * application: its image is pinned by digest, it starts after the application, its RunMonitoring
 * configuration ({@code cloudrun/run-monitoring.yaml}) is mounted where the collector reads it from
 * the secret the setup script creates, and that configuration scrapes the application's port and
 * the path its metrics controller serves. CloudRunServiceYamlIT scrapes that path of the running
 * application.
 */
class PrometheusSidecarTest {
  static final Path RUN_MONITORING = Path.of("cloudrun", "run-monitoring.yaml");
  private static final Pattern DIGEST =
      Pattern.compile(
          "us-docker\\.pkg\\.dev/cloud-ops-agents-artifacts/cloud-run-gmp-sidecar/"
              + "cloud-run-gmp-sidecar@sha256:[0-9a-f]{64}");

  @Test
  void theCollectorScrapesTheApplicationsPortAndMetricsPath() throws Exception {
    Map<String, Object> endpoint = single(list(child(runMonitoring(), "spec"), "endpoints"));
    CloudRunService app = CloudRunService.load();

    assertEquals(app.containerPort(), Integer.parseInt(String.valueOf(endpoint.get("port"))));
    Get route = MetricsController.class.getMethod("scrape").getAnnotation(Get.class);
    assertNotNull(route, "MetricsController.scrape is a GET route");
    assertEquals(route.value(), endpoint.get("path"));
    // Prometheus durations; a timeout above the interval is refused by the collector.
    assertTrue(seconds(endpoint.get("timeout")) <= seconds(endpoint.get("interval")));
  }

  @Test
  void theConfigurationIsARunMonitoringTheCollectorAccepts() throws Exception {
    Map<String, Object> config = runMonitoring();
    // The collector refuses any other apiVersion or kind, and unknown fields (strict parsing).
    assertEquals("monitoring.googleapis.com/v1beta", config.get("apiVersion"));
    assertEquals("RunMonitoring", config.get("kind"));
    assertEquals(List.of("apiVersion", "kind", "metadata", "spec"), List.copyOf(config.keySet()));
    Map<String, Object> spec = child(config, "spec");
    assertTrue(List.of("endpoints", "targetLabels", "limits").containsAll(spec.keySet()));
    for (Object label : list(child(spec, "targetLabels"), "metadata")) {
      assertTrue(
          List.of("instance", "revision", "service", "configuration").contains(label),
          label + " is not a label the collector can add");
    }
  }

  @Test
  void theSidecarIsPinnedStartsAfterTheAppAndReadsTheSecretTheSetupCreates() throws Exception {
    Map<String, Object> service = yaml(CloudRunService.FILE);
    Map<String, Object> template = child(child(service, "spec"), "template");
    Map<String, Object> spec = child(template, "spec");
    List<Map<String, Object>> containers = list(spec, "containers");
    assertEquals(2, containers.size(), "the application and the collector");
    Map<String, Object> app = containers.get(0);
    Map<String, Object> collector = containers.get(1);
    assertTrue(app.containsKey("ports") && !collector.containsKey("ports"), "app takes requests");

    String image = (String) collector.get("image");
    assertTrue(DIGEST.matcher(image).matches(), "collector pinned by digest: " + image);

    // Started once the application passed its startup probe, so the first scrape finds /metrics.
    String dependencies =
        (String)
            child(child(template, "metadata"), "annotations")
                .get("run.googleapis.com/container-dependencies");
    assertEquals("{\"" + collector.get("name") + "\":[\"" + app.get("name") + "\"]}", dependencies);

    // The collector reads /etc/rungmp/config.yaml: a volume of the secret's latest version.
    Map<String, Object> mount = single(list(collector, "volumeMounts"));
    assertEquals("/etc/rungmp", mount.get("mountPath"));
    List<Map<String, Object>> volumes = list(spec, "volumes");
    Map<String, Object> volume =
        volumes.stream()
            .filter(v -> mount.get("name").equals(v.get("name")))
            .findFirst()
            .orElseThrow();
    Map<String, Object> secret = child(volume, "secret");
    assertEquals(Map.of("key", "latest", "path", "config.yaml"), single(list(secret, "items")));

    // ... the secret cloudrun/setup-wif.sh creates from cloudrun/run-monitoring.yaml, for the
    // service its --service default names.
    String setup = Files.readString(Path.of("cloudrun", "setup-wif.sh"));
    Matcher defaultService = Pattern.compile(" service=([a-z-]+) ").matcher(setup);
    assertTrue(defaultService.find(), "setup-wif.sh's default service");
    assertEquals(defaultService.group(1) + "-run-monitoring", secret.get("secretName"));
    assertEquals(defaultService.group(1), child(service, "metadata").get("name"));
    assertTrue(setup.contains("config_secret=\"$service-run-monitoring\""), "setup's secret name");
    assertTrue(setup.contains("/run-monitoring.yaml\""), "setup stores run-monitoring.yaml");
  }

  static Map<String, Object> runMonitoring() throws Exception {
    return yaml(RUN_MONITORING);
  }

  private static int seconds(Object duration) {
    String text = String.valueOf(duration);
    assertTrue(text.matches("\\d+s"), "a duration in seconds: " + text);
    return Integer.parseInt(text.substring(0, text.length() - 1));
  }

  private static Map<String, Object> yaml(Path file) throws Exception {
    return new Yaml().load(Files.readString(file));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> parent, String key) {
    Object child = parent.get(key);
    assertTrue(child instanceof Map, key + " is a mapping");
    return (Map<String, Object>) child;
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> list(Map<String, Object> parent, String key) {
    Object child = parent.get(key);
    assertTrue(child instanceof List, key + " is a list");
    return (List<T>) child;
  }

  private static <T> T single(List<T> items) {
    assertEquals(1, items.size(), items.toString());
    return items.get(0);
  }
}
