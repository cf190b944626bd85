package dev.predictfn.protocol.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.support.HttpAnswer;
import dev.predictfn.support.HttpCall;
import dev.predictfn.support.NettyTransport;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The OpenAPI document generated at build time: complete, served, and its examples work. */
@MicronautTest
class OpenApiDocumentTest {
  private static final String DOCUMENT = "/swagger/prediction-function.yml";

  @Inject EmbeddedServer server;
  @Inject Router router;
  @Inject JsonMapper json;

  private NettyTransport http;

  @BeforeEach
  void connect() {
    http = new NettyTransport(URI.create(server.getURL().toString()));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> document() throws Exception {
    HttpAnswer answer = http.send(HttpCall.get(DOCUMENT));
    assertEquals(200, answer.status(), answer.body());
    return (Map<String, Object>) new Yaml().load(answer.body());
  }

  @SuppressWarnings("unchecked")
  private Map<String, Map<String, Object>> paths() throws Exception {
    return (Map<String, Map<String, Object>>) document().get("paths");
  }

  @Test
  void documentsEveryRouteTheServerHas() throws Exception {
    Set<String> documented = new TreeSet<>();
    paths()
        .forEach(
            (path, operations) ->
                operations
                    .keySet()
                    .forEach(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path)));
    Set<String> served = new TreeSet<>();
    router
        .uriRoutes()
        .map(UriRouteInfo.class::cast)
        // Micronaut answers HEAD for every GET by itself; OpenAPI documents list the GET.
        .filter(route -> !route.getHttpMethodName().equals("HEAD"))
        .forEach(route -> served.add(route.getHttpMethodName() + " " + template(route)));

    assertFalse(served.isEmpty());
    Set<String> missing = new TreeSet<>(served);
    missing.removeAll(documented);
    assertEquals(
        Set.of(), missing, "routes missing from the OpenAPI document; documented: " + documented);
  }

  /** The route's URI template with optional segments spelled as OpenAPI paths. */
  private static String template(UriRouteInfo<?, ?> route) {
    return route.getUriMatchTemplate().toString().replace("{/selector}", "/{selector}");
  }

  @Test
  void documentsTheBodiesAndErrors() throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> schemas =
        (Map<String, Object>) ((Map<String, Object>) document().get("components")).get("schemas");

    for (String name :
        List.of(
            "PredictRequest",
            "PredictionResponses.Single",
            "PredictionResponses.Batch",
            "Problem",
            "ModelCard",
            "InferRequest",
            "OipMessages.InferResponse",
            "OipMessages.Error")) {
      assertTrue(schemas.containsKey(name), name + " in " + schemas.keySet());
    }
    assertEquals("0.1.0", ((Map<?, ?>) document().get("info")).get("version"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyRequestExampleInTheDocumentIsAccepted() throws Exception {
    List<String> sent = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> path : paths().entrySet()) {
      Map<String, Object> post = (Map<String, Object>) path.getValue().get("post");
      if (post == null || post.get("requestBody") == null) {
        continue;
      }
      Map<String, Object> content =
          (Map<String, Object>) ((Map<String, Object>) post.get("requestBody")).get("content");
      Map<String, Object> media = (Map<String, Object>) content.get("application/json");
      Map<String, Object> examples = (Map<String, Object>) media.get("examples");
      assertTrue(examples != null && !examples.isEmpty(), "no examples for POST " + path.getKey());
      for (Map.Entry<String, Object> example : examples.entrySet()) {
        Object value = ((Map<String, Object>) example.getValue()).get("value");
        String uri = path.getKey().replace("{name}", "iris-sgd").replace("{version}", "0.1.0");
        String body = new String(json.writeValueAsBytes(value), StandardCharsets.UTF_8);
        HttpAnswer answer = http.send(HttpCall.postJson(uri, body));
        assertEquals(
            2, answer.status() / 100, example.getKey() + " at " + uri + ": " + answer.body());
        sent.add(uri + " " + example.getKey());
      }
    }
    assertTrue(sent.size() >= 5, "examples sent: " + sent);
  }

  @Test
  @SuppressWarnings("unchecked")
  void tryingItOutNeedsNothingTypedAndTheAnswersShownAreTheServingModels() throws Exception {
    Map<String, Map<String, Object>> paths = paths();
    List<String> labels = List.of("setosa", "versicolor", "virginica");
    int named = 0;
    for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
      for (Object operation : path.getValue().values()) {
        for (Object item :
            (List<Object>)
                ((Map<String, Object>) operation).getOrDefault("parameters", List.of())) {
          Map<String, Object> parameter = (Map<String, Object>) item;
          if ("name".equals(parameter.get("name")) && "path".equals(parameter.get("in"))) {
            assertEquals(
                "iris-sgd",
                ((Map<String, Object>) parameter.get("schema")).get("default"),
                path.getKey());
            assertEquals("iris-sgd", parameter.get("example"), path.getKey());
            named++;
          }
        }
      }
    }
    assertTrue(named >= 4, "OIP operations with the model name: " + named);

    // POST /predict's answers as shown: the real answer's fields, the card's labels.
    Map<String, Object> predict = (Map<String, Object>) paths.get("/predict").get("post");
    Map<String, Object> shown =
        (Map<String, Object>)
            ((Map<String, Object>)
                    ((Map<String, Object>)
                            ((Map<String, Object>)
                                    ((Map<String, Object>) predict.get("responses")).get("200"))
                                .get("content"))
                        .get("application/json"))
                .get("examples");
    Map<String, Object> one =
        (Map<String, Object>) ((Map<String, Object>) shown.get("one row")).get("value");
    HttpAnswer real = http.send(HttpCall.postJson("/predict", "{\"features\":[5.1,3.5,1.4,0.2]}"));
    Map<String, Object> answer = json.readValue(real.body(), Map.class);
    assertEquals(answer.keySet(), one.keySet(), "example " + one + ", real " + answer);
    assertTrue(labels.contains(one.get("prediction")), one.toString());
    assertEquals(labels, List.copyOf(((Map<String, Object>) one.get("probabilities")).keySet()));
    double sum = 0;
    for (Object p : ((Map<String, Object>) one.get("probabilities")).values()) {
      sum += ((Number) p).doubleValue();
    }
    assertEquals(1.0, sum, 1e-9);
    Map<String, Object> bigquery = (Map<String, Object>) paths.get("/bigquery").get("post");
    String replies = new Yaml().dump(((Map<String, Object>) bigquery.get("responses")).get("200"));
    assertTrue(replies.contains("setosa") && !replies.contains("additionalProp"), replies);
  }

  @Test
  void theTryItPageIsServedWithoutExternalResources() throws Exception {
    HttpAnswer page = http.send(HttpCall.get("/swagger-ui/index.html"));

    assertEquals(200, page.status());
    assertEquals("text/html", page.mediaType());
    assertTrue(page.body().contains("/swagger/prediction-function.yml"));
    assertFalse(page.body().contains("http://") || page.body().contains("https://"), "no CDN");
    assertEquals(200, http.send(HttpCall.get("/swagger-ui/res/swagger-ui-bundle.js")).status());
  }
}
