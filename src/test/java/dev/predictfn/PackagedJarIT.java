package dev.predictfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.support.ApiCases;
import dev.predictfn.support.HttpAnswer;
import dev.predictfn.support.HttpCall;
import dev.predictfn.support.Json;
import dev.predictfn.support.RunningJar;
import dev.predictfn.support.SigtermDrill;
import io.micronaut.json.tree.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The packaged, Micronaut-AOT-optimised jar, started with {@code java -jar} as a separate process
 * the way README and the container run it: it serves, logs JSON with the trace, and drains
 * in-flight requests on SIGTERM before exiting 0.
 */
class PackagedJarIT {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void jarCarriesTheAotOptimisationsAndTheModelBundle() throws Exception {
    try (JarFile jar = new JarFile(Path.of(System.getProperty("app.jar")).toFile())) {
      assertTrue(
          jar.stream().anyMatch(e -> e.getName().startsWith("dev/predictfn/aot/")), "AOT classes");
      assertTrue(
          jar.getEntry("META-INF/services/io.micronaut.core.optim.StaticOptimizations$Loader")
              != null,
          "AOT static optimisations are registered");
      assertTrue(jar.getEntry("model/model.tribuo") != null);
      assertTrue(jar.getEntry("model/model-card.json") != null);
      assertEquals(null, jar.getEntry("application.yml"), "AOT turned application.yml into code");
    }
  }

  @Test
  void servesEveryCaseAndLogsOnlyJsonWithTheTrace() throws Exception {
    try (RunningJar app = RunningJar.start(Map.of("GOOGLE_CLOUD_PROJECT", "demo-project"))) {
      app.awaitReady(Duration.ofSeconds(60));

      for (ApiCases.Case c : ApiCases.good()) {
        assertEquals(c.status(), app.http().send(c.call()).status(), c.name());
      }
      for (ApiCases.Case c : ApiCases.bad()) {
        HttpAnswer answer = app.http().send(c.call());
        assertEquals(c.status(), answer.status(), c.name() + ": " + answer.body());
        String detail = Json.parse(answer.body()).get("detail").getStringValue();
        assertTrue(detail.contains(c.detail()), c.name() + ": " + detail);
      }
      // BigQuery's remote-function route from the packaged jar: one reply per call, in order.
      HttpAnswer remote =
          app.http()
              .send(
                  HttpCall.postJson(
                      "/bigquery",
                      "{\"requestId\":\"r\",\"userDefinedContext\":{\"return\":\"label\"},"
                          + "\"calls\":[[6.7,3.0,5.2,2.3],[5.1,3.5,1.4,0.2]]}"));
      assertEquals(200, remote.status(), remote.body());
      assertEquals("{\"replies\":[\"virginica\",\"setosa\"]}", remote.body());
      HttpAnswer traced =
          app.http()
              .send(
                  HttpCall.postJson("/predict", "{\"features\":[7.654321,3.5,1.4,\"0.2\"]}")
                      .withHeader("X-Cloud-Trace-Context", TRACE + "/123;o=1"));
      assertEquals(400, traced.status());

      String log = awaitLine(app, TRACE);
      JsonNode line = Json.parse(log);
      assertEquals("INFO", line.get("severity").getStringValue());
      assertEquals(
          "projects/demo-project/traces/" + TRACE,
          line.get("logging.googleapis.com/trace").getStringValue());
      assertEquals("000000000000007b", line.get("logging.googleapis.com/spanId").getStringValue());
      assertEquals(400, line.get("status").getIntValue());
      assertEquals("#/features/3", line.get("problem_pointer").getStringValue());
      assertFalse(log.contains("7.654321"), "feature values are never logged at INFO: " + log);

      for (String each : app.output().split("\n")) {
        if (!each.isBlank()) {
          // A log line has a message; a prediction record (records.RecordJson) its record kind.
          JsonNode json = Json.parse(each);
          assertTrue(
              json.get("severity") != null
                  && (json.get("message") != null || json.get("record") != null),
              each);
        }
      }
      assertTrue(
          app.output().contains("Model iris-sgd version 0.1.0 loaded from classpath:model/"));
    }
  }

  @Test
  void servesVertexAiAtThePortAndRoutesFromItsEnvironment() throws Exception {
    String predict = "/v1/endpoints/31/deployedModels/42:predict";
    String health = "/v1/endpoints/31/deployedModels/42";
    Map<String, String> env =
        Map.of(
            "AIP_HTTP_PORT", Integer.toString(RunningJar.freePort()),
            "AIP_PREDICT_ROUTE", predict,
            "AIP_HEALTH_ROUTE", health);
    try (RunningJar app = RunningJar.start(env)) {
      app.awaitReady(Duration.ofSeconds(60));

      assertEquals(200, app.http().send(HttpCall.get(health)).status());
      HttpAnswer answer =
          app.http().send(HttpCall.postJson(predict, "{\"instances\":[[6.7,3.0,5.2,2.3]]}"));
      assertEquals(200, answer.status(), answer.body());
      assertEquals(
          "virginica",
          Json.parse(answer.body()).get("predictions").get(0).get("prediction").getStringValue());
    }
  }

  @Test
  void sigtermDrainsAnInFlightRequestAndExitsZero() throws Exception {
    try (RunningJar app = RunningJar.start(Map.of("PREDICTION_LOG_SAMPLE", "1"))) {
      app.awaitReady(Duration.ofSeconds(60));
      SigtermDrill.Outcome outcome =
          SigtermDrill.run(
              app.port(),
              new SigtermDrill.Target() {
                @Override
                public void sigterm() {
                  app.process().destroy(); // SIGTERM
                }

                @Override
                public int awaitExit() throws InterruptedException {
                  return app.process().waitFor(10, TimeUnit.SECONDS)
                      ? app.process().exitValue()
                      : -1;
                }
              });

      String output = app.output();
      outcome.assertDrained(output);
      // Every answered prediction's record reached stdout before the exit: none lost at SIGTERM.
      Set<String> recorded = new HashSet<>();
      Matcher record =
          Pattern.compile("\"record\":\"prediction\",\"prediction_id\":\"([^\"]+)\"")
              .matcher(output);
      while (record.find()) {
        recorded.add(record.group(1));
      }
      List<String> lost =
          outcome.answeredIds().stream().filter(id -> !recorded.contains(id)).toList();
      assertTrue(outcome.answeredIds().size() > 10, "answered: " + outcome.answeredIds().size());
      assertEquals(List.of(), lost, "answered predictions without a record");
    }
  }

  private static String awaitLine(RunningJar app, String needle) throws Exception {
    for (int i = 0; i < 50; i++) {
      for (String line : app.output().split("\n")) {
        if (line.contains(needle)) {
          return line;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no log line with " + needle + " in:\n" + app.output());
  }
}
