package dev.predictfn.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.protocol.bigquery.BigQueryConfiguration;
import dev.predictfn.release.CloudRunSandbox.Result;
import dev.predictfn.support.Bundles;
import dev.predictfn.support.Json;
import dev.predictfn.support.RequiresCommands;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cloudrun/bigquery-function.sh} against {@link FakeBq} and {@link FakeGcloud}: it creates
 * what is missing, grants the connection's account nothing but {@code roles/run.invoker} on the
 * service, and creates a function whose arguments are the model card's features in order; a request
 * built from that function's definition, as BigQuery would send it, is answered by the running
 * service.
 */
@RequiresCommands({"bash", "jq", "curl"})
class BigQueryFunctionScriptTest {
  private static final Pattern CONTEXT_PAIR = Pattern.compile("\\(\"(\\w+)\", \"([^\"]*)\"\\)");
  private static EmbeddedServer serving;

  @TempDir Path dir;
  private CloudRunSandbox cloud;
  private Path card;

  @BeforeAll
  static void start() {
    serving = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1));
  }

  @AfterAll
  static void stop() {
    serving.close();
  }

  @BeforeEach
  void sandbox() throws Exception {
    cloud = new CloudRunSandbox(dir);
    card = Files.write(dir.resolve("model-card.json"), Bundles.builtIn("model-card.json"));
    Result deployed =
        cloud.run("deploy.sh", "--version", "1.0.0", "--image", CloudRunSandbox.image(1));
    assertEquals(0, deployed.status(), deployed.describe());
  }

  private Result script(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--card";
    all[1] = card.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return cloud.run("bigquery-function.sh", all);
  }

  @Test
  void createsTheConnectionGrantsInvokerAndAFunctionOfTheCardsFeatures() throws Exception {
    Result result = script("--dataset", "ml", "--return", "probability", "--class", "virginica");
    assertEquals(0, result.status(), result.describe());

    Map<String, Object> bigQuery = cloud.bigQuery();
    assertEquals(List.of("demo-project:ml"), bigQuery.get("datasets"));
    assertEquals(
        List.of("demo-project.europe-west1.prediction-function"), bigQuery.get("connections"));
    List<List<String>> grants = cloud.calls("run", "services", "add-iam-policy-binding");
    assertEquals(1, grants.size(), cloud.calls().toString());
    assertTrue(grants.get(0).contains("prediction-function"));
    assertTrue(grants.get(0).contains("--member=serviceAccount:" + FakeBq.CONNECTION_ACCOUNT));
    assertTrue(grants.get(0).contains("--role=roles/run.invoker"));
    assertEquals(
        1,
        cloud.calls().stream().filter(c -> c.contains("add-iam-policy-binding")).count(),
        "the connection gets one role on one resource");

    String sql = function(bigQuery, "demo-project.ml.predict");
    assertTrue(
        sql.startsWith(
            "CREATE OR REPLACE FUNCTION `demo-project.ml`.predict(sepal_length FLOAT64,"
                + " sepal_width FLOAT64, petal_length FLOAT64, petal_width FLOAT64)\n"
                + "RETURNS FLOAT64\n"
                + "REMOTE WITH CONNECTION `demo-project.europe-west1.prediction-function`"),
        sql);
    assertTrue(sql.contains("endpoint = 'https://prediction-function-fake.a.run.app/bigquery'"));
    assertEquals("demo-project.ml.predict", result.output("function"));

    // BigQuery's batches stay within what the service accepts in one request.
    Matcher rows = Pattern.compile("max_batching_rows = (\\d+)").matcher(sql);
    assertTrue(rows.find(), sql);
    try (ApplicationContext context = ApplicationContext.run()) {
      int maxCalls = context.getBean(BigQueryConfiguration.class).maxCalls();
      assertTrue(Integer.parseInt(rows.group(1)) <= maxCalls, rows.group(1) + " > " + maxCalls);
    }

    // What BigQuery sends for this function is what the service answers.
    JsonNode replies = callAsBigQuery(sql, "[6.7,3.0,5.2,2.3]", "[5.1,3.5,1.4,0.2]");
    assertTrue(replies.get(0).getDoubleValue() > 0.5, replies.toString());
    assertTrue(replies.get(1).getDoubleValue() < 0.05, replies.toString());
  }

  @Test
  void categoricalFeaturesBecomeStringArgumentsAndJsonReturnsJson() throws Exception {
    card = Path.of("src/main/training/reference/churn-sgd.model-card.json");
    Result result = script("--dataset", "ml", "--function", "churn", "--return", "json");
    assertEquals(0, result.status(), result.describe());
    String sql = function(cloud.bigQuery(), "demo-project.ml.churn");
    assertTrue(
        sql.contains(
            "churn(tenure_months FLOAT64, monthly_charges FLOAT64, contract STRING,"
                + " internet_service STRING, payment_method STRING, paperless_billing STRING,"
                + " senior_citizen FLOAT64, support_calls FLOAT64)\nRETURNS JSON\n"),
        sql);
    assertTrue(sql.contains("[(\"return\", \"json\"), (\"on_null\", \"error\")]"), sql);
  }

  @Test
  void aSecondRunCreatesNothingAndReplacesTheFunction() throws Exception {
    assertEquals(0, script("--dataset", "ml").status());
    int before = cloud.bqCalls().size();
    Result again = script("--dataset", "ml", "--on-null", "null");
    assertEquals(0, again.status(), again.describe());
    List<List<String>> second = cloud.bqCalls().subList(before, cloud.bqCalls().size());
    assertTrue(second.stream().noneMatch(c -> c.get(0).equals("mk")), second.toString());
    String sql = function(cloud.bigQuery(), "demo-project.ml.predict");
    assertTrue(sql.contains("(\"on_null\", \"null\")"), sql);
    assertEquals(
        List.of("setosa"),
        List.of(callAsBigQuery(sql, "[5.1,3.5,1.4,0.2]").get(0).getStringValue()));
  }

  @Test
  void aDryRunPrintsTheStatementAndChangesNothing() throws Exception {
    Result dry = script("--dataset", "ml", "--dry-run");
    assertEquals(0, dry.status(), dry.describe());
    assertTrue(dry.out().contains("RETURNS STRING"), dry.describe());
    assertTrue(dry.err().contains("+ bq mk --connection"), dry.describe());
    assertTrue(dry.err().contains("+ bq query"), dry.describe());
    assertTrue(
        cloud.bqCalls().stream().allMatch(c -> c.get(0).equals("show")),
        cloud.bqCalls().toString());
    assertTrue(cloud.calls("run", "services", "add-iam-policy-binding").isEmpty());
  }

  @Test
  void badArgumentsFailBeforeAnyChange() throws Exception {
    String[][] cases = {
      {"--dataset", "ml", "--return", "probability"},
      {"--dataset", "ml", "--return", "probability", "--class", "rose"},
      {"--dataset", "ml", "--class", "setosa"},
      {"--dataset", "ml", "--return", "score"},
      {"--dataset", "ml", "--on-null", "skip"},
      {"--dataset", "ml", "--max-batching-rows", "0"},
      {"--dataset", "ml-data"},
      {"--function", "predict"},
    };
    for (String[] args : cases) {
      Result result = script(args);
      assertNotEquals(0, result.status(), String.join(" ", args) + "\n" + result.describe());
    }
    assertTrue(
        script("--dataset", "ml", "--return", "probability")
            .err()
            .contains("[\"setosa\",\"versicolor\",\"virginica\"]"));
    assertTrue(cloud.bqCalls().isEmpty(), cloud.bqCalls().toString());
  }

  @SuppressWarnings("unchecked")
  private static String function(Map<String, Object> bigQuery, String name) {
    Map<String, Object> functions = (Map<String, Object>) bigQuery.get("functions");
    assertTrue(functions != null && functions.containsKey(name), String.valueOf(functions));
    return (String) functions.get(name);
  }

  /** Sends CALLS to the running service with the context the function's statement declares. */
  private static JsonNode callAsBigQuery(String sql, String... calls) throws Exception {
    StringBuilder context = new StringBuilder();
    Matcher pair = CONTEXT_PAIR.matcher(sql);
    while (pair.find()) {
      context.append(context.length() == 0 ? "{" : ",");
      context.append('"').append(pair.group(1)).append("\":\"").append(pair.group(2)).append('"');
    }
    String body =
        "{\"requestId\":\"1\",\"caller\":\"//bigquery.googleapis.com/projects/demo-project/jobs/j\","
            + "\"sessionUser\":\"analyst@example.com\",\"userDefinedContext\":"
            + context
            + "},\"calls\":["
            + String.join(",", calls)
            + "]}";
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(serving.getURL() + "/bigquery"))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return Json.parse(response.body()).get("replies");
  }
}
