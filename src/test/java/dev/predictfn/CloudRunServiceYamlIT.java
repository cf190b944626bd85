package dev.predictfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.support.CloudRunService;
import dev.predictfn.support.HttpAnswer;
import dev.predictfn.support.HttpCall;
import dev.predictfn.support.RunningJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code cloudrun/service.yaml} against the packaged application: the probes Cloud Run will send
 * exist and answer, on the port the service declares, the metrics collector's scrape finds the
 * drift gauge, and the settings the runbook relies on are there.
 */
class CloudRunServiceYamlIT {

  @Test
  @SuppressWarnings("unchecked")
  void probesPortAndScrapeMatchTheRunningApplication() throws Exception {
    CloudRunService service = CloudRunService.load();
    assertEquals(service.containerPort(), service.startupProbe().port(), "startup probe port");
    assertEquals(service.containerPort(), service.livenessProbe().port(), "liveness probe port");

    // Cloud Run sets PORT to containerPort; the application must listen there.
    try (RunningJar app =
        RunningJar.startOnPort(service.containerPort(), Map.copyOf(service.env()))) {
      app.awaitReady(Duration.ofSeconds(60));
      assertEquals(200, app.http().send(HttpCall.get(service.startupProbe().path())).status());
      assertEquals(200, app.http().send(HttpCall.get(service.livenessProbe().path())).status());

      // The metrics collector's scrape (cloudrun/run-monitoring.yaml) finds Prometheus text with
      // the drift gauge the drift alert reads, within the configuration's sample limit.
      Map<String, Object> monitoring =
          new Yaml().load(Files.readString(Path.of("cloudrun", "run-monitoring.yaml")));
      Map<String, Object> spec = (Map<String, Object>) monitoring.get("spec");
      Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
      assertEquals(service.containerPort(), endpoint.get("port"));
      app.http().send(HttpCall.postJson("/predict", "{\"features\":[5.1,3.5,1.4,0.2]}"));
      HttpAnswer scrape = app.http().send(HttpCall.get((String) endpoint.get("path")));
      assertEquals(200, scrape.status(), scrape.body());
      assertEquals("text/plain", scrape.mediaType());
      String alert = Files.readString(Path.of("cloudrun", "alerts", "feature-drift.yaml"));
      assertTrue(alert.contains("(prediction_feature_psi)"), "the alert's metric");
      assertTrue(
          scrape.body().lines().anyMatch(l -> l.startsWith("prediction_feature_psi{")),
          scrape.body());
      long samples = scrape.body().lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
      int limit = (Integer) ((Map<String, Object>) spec.get("limits")).get("samples");
      assertTrue(samples < limit / 2, samples + " samples, limit " + limit);
    }
  }

  @Test
  void deploysAnImmutableImageWithinCloudRunLimits() throws Exception {
    CloudRunService service = CloudRunService.load();
    assertTrue(service.image().contains("@sha256:"), "image named by digest: " + service.image());
    assertEquals("1", service.cpu());
    assertEquals("512Mi", service.memory());
    assertEquals(80, service.containerConcurrency());
    assertTrue(service.timeoutSeconds() > 0 && service.timeoutSeconds() <= 60);
    assertTrue(service.env().containsKey("GOOGLE_CLOUD_PROJECT"), "log trace correlation");
  }
}
