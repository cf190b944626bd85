package dev.predictfn.monitoring;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.support.HttpCall;
import dev.predictfn.support.NettyTransport;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On Cloud Run every sample names the revision that produced it, and one info series names the
 * service, configuration and application version, so a rollout's revisions can be compared.
 */
class DeploymentLabelsTest {
  private static String metrics(Map<String, Object> properties) throws Exception {
    Map<String, Object> all = new HashMap<>(properties);
    all.put("micronaut.server.port", -1);
    try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, all)) {
      NettyTransport http = new NettyTransport(URI.create(server.getURL().toString()));
      http.send(HttpCall.postJson("/predict", "{\"features\":[5.1,3.5,1.4,0.2]}"));
      return http.send(HttpCall.get("/metrics")).body();
    }
  }

  @Test
  void onCloudRunEverySampleNamesTheRevisionAndTheInfoSeriesTheRest() throws Exception {
    String metrics =
        metrics(
            Map.of(
                "predict.deployment.service", "prediction-function",
                "predict.deployment.revision", "prediction-function-v1-2-3-0a1b2c3d",
                "predict.deployment.configuration", "prediction-function"));

    for (String line : metrics.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        assertTrue(line.contains("revision=\"prediction-function-v1-2-3-0a1b2c3d\""), line);
      }
    }
    String info =
        metrics
            .lines()
            .filter(line -> line.startsWith("prediction_function_info{"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no prediction_function_info in\n" + metrics));
    assertTrue(info.contains("service=\"prediction-function\""), info);
    assertTrue(info.contains("configuration=\"prediction-function\""), info);
    assertTrue(info.contains("version=\"0.1.0\""), info);
    assertTrue(info.contains("model_version=\"0.1.0\""), info);
    assertTrue(info.endsWith(" 1") || info.endsWith(" 1.0"), info);
  }

  @Test
  void elsewhereThereIsNoRevisionLabel() throws Exception {
    String metrics = metrics(Map.of());
    assertFalse(metrics.contains("revision=\""), metrics);
    assertTrue(metrics.contains("prediction_function_info{"), metrics);
  }
}
