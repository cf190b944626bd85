package dev.predictfn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.monitoring.ModelReadinessIndicator;
import dev.predictfn.support.Bundles;
import dev.predictfn.support.HttpAnswer;
import dev.predictfn.support.HttpCall;
import dev.predictfn.support.Json;
import dev.predictfn.support.NettyTransport;
import io.micronaut.context.ApplicationContext;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The bundle is read on its own thread while the application starts. Its model file here is a named
 * pipe, so the load takes exactly as long as the test wants: until the test writes the bytes, the
 * model is not ready and readiness is DOWN; the context does not finish starting (so the server
 * does not open its port) before the outcome is known.
 */
@Timeout(120) // a load that never finishes must fail the test, not hang the build
class ModelLoadTest {
  @TempDir Path dir;

  @Test
  void readinessIsDownWhileTheBundleLoadsAndUpOnceItIsVerified() throws Exception {
    Path bundle = bundleWithPipedModel();
    ServingModel model = servingModel(bundle);
    ModelReadinessIndicator readiness = new ModelReadinessIndicator(model);

    assertTrue(model.isLoading());
    assertFalse(model.isReady());
    assertEquals("none", model.version());
    HealthResult loading = health(readiness);
    assertEquals(HealthStatus.DOWN, loading.getStatus());
    assertEquals(true, details(loading).get("loading"));
    CompletableFuture<Predictor> waiting = CompletableFuture.supplyAsync(model::predictor);
    assertThrows(TimeoutException.class, () -> waiting.get(300, TimeUnit.MILLISECONDS));

    feed(bundle, Bundles.builtIn(ModelBundle.MODEL_FILE));

    assertNotNull(waiting.get(30, TimeUnit.SECONDS), "predictor() waited for the load");
    assertTrue(model.isReady());
    assertFalse(model.isLoading());
    HealthResult up = health(readiness);
    assertEquals(HealthStatus.UP, up.getStatus());
    assertNull(details(up).get("loading"));
    assertEquals(model.version(), details(up).get("version"));
  }

  @Test
  void aDamagedBundleIsRefusedWhenItsLoadEnds() throws Exception {
    Path bundle = bundleWithPipedModel();
    byte[] damaged = Bundles.builtIn(ModelBundle.MODEL_FILE).clone();
    damaged[damaged.length / 2] ^= 0x5A;
    ServingModel model = servingModel(bundle);
    ModelReadinessIndicator readiness = new ModelReadinessIndicator(model);
    assertEquals(HealthStatus.DOWN, health(readiness).getStatus());

    feed(bundle, damaged);

    assertFalse(model.awaitLoad());
    assertThrows(ModelUnavailableException.class, model::predictor);
    HealthResult down = health(readiness);
    assertEquals(HealthStatus.DOWN, down.getStatus());
    assertNull(details(down).get("loading"));
    assertTrue(String.valueOf(details(down).get("reason")).contains("SHA-256 expected"));
  }

  @Test
  void theServerOpensOnlyOnceTheModelIsVerified() throws Exception {
    Path bundle = bundleWithPipedModel();
    CompletableFuture<EmbeddedServer> starting =
        CompletableFuture.supplyAsync(
            () ->
                ApplicationContext.run(
                    EmbeddedServer.class,
                    Map.of("micronaut.server.port", -1, "predict.model.path", bundle.toString())));
    try {
      assertThrows(
          TimeoutException.class,
          () -> starting.get(1, TimeUnit.SECONDS),
          "the start waits for the model");

      feed(bundle, Bundles.builtIn(ModelBundle.MODEL_FILE));

      try (EmbeddedServer server = starting.get(60, TimeUnit.SECONDS)) {
        NettyTransport http = new NettyTransport(URI.create(server.getURL().toString()));
        // The very first answer of the new server is already UP: it never served a DOWN-by-loading.
        HttpAnswer readiness = http.send(HttpCall.get("/health/readiness"));
        assertEquals(200, readiness.status(), readiness.body());
        assertEquals(
            "UP",
            Json.parse(readiness.body())
                .get("details")
                .get("model")
                .get("status")
                .getStringValue());
        assertEquals(
            200,
            http.send(HttpCall.postJson("/predict", "{\"features\":[5.1,3.5,1.4,0.2]}")).status());
      }
    } finally {
      starting.cancel(true);
    }
  }

  /** A copy of the built-in bundle whose model file is a named pipe nothing has written yet. */
  private Path bundleWithPipedModel() throws Exception {
    Path bundle = Bundles.copy(dir);
    Path model = bundle.resolve(ModelBundle.MODEL_FILE);
    Files.delete(model);
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", model.toString()).inheritIO().start();
    } catch (IOException e) {
      assumeTrue(false, "mkfifo is not available: " + e.getMessage());
      throw e;
    }
    assertEquals(0, mkfifo.waitFor(), "mkfifo " + model);
    return bundle;
  }

  /** Writes the model's bytes into the pipe: the load, blocked on it so far, can now finish. */
  private static void feed(Path bundle, byte[] bytes) throws Exception {
    CompletableFuture.runAsync(
            () -> {
              try {
                Files.write(bundle.resolve(ModelBundle.MODEL_FILE), bytes);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            })
        .get(30, TimeUnit.SECONDS);
  }

  private static ServingModel servingModel(Path bundle) {
    return new ServingModel(new ModelConfiguration(bundle.toString(), null));
  }

  private static HealthResult health(ModelReadinessIndicator readiness) {
    return Mono.from(readiness.getResult()).block();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> details(HealthResult result) {
    return (Map<String, Object>) result.getDetails();
  }
}
