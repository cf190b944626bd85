package dev.predictfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.support.CloudRunService;
import dev.predictfn.support.HttpCall;
import dev.predictfn.support.RunningJar;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code cloudrun/service.yaml} against the packaged application: the probes Cloud Run will send
 * exist and answer, on the port the service declares, and the settings the runbook relies on are
 * there.
 */
class CloudRunServiceYamlIT {

  @Test
  void probesAndPortMatchTheRunningApplication() throws Exception {
    CloudRunService service = CloudRunService.load();
    assertEquals(service.containerPort(), service.startupProbe().port(), "startup probe port");
    assertEquals(service.containerPort(), service.livenessProbe().port(), "liveness probe port");

    // Cloud Run sets PORT to containerPort; the application must listen there.
    try (RunningJar app =
        RunningJar.startOnPort(service.containerPort(), Map.copyOf(service.env()))) {
      app.awaitReady(Duration.ofSeconds(60));
      assertEquals(200, app.http().send(HttpCall.get(service.startupProbe().path())).status());
      assertEquals(200, app.http().send(HttpCall.get(service.livenessProbe().path())).status());
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
