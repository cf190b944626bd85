package dev.predictfn.protocol.openapi;

import dev.predictfn.bundle.ModelCard;
import dev.predictfn.protocol.bigquery.BigQueryConfiguration;
import dev.predictfn.protocol.feedback.FeedbackController;
import dev.predictfn.scoring.Scorer;
import dev.predictfn.scoring.ScoringException;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code GET /swagger/prediction-function.yml}: the OpenAPI document micronaut-openapi generated at
 * build time, with its request examples made from the serving model's card ({@link ExampleRows}),
 * so the examples Swagger UI offers are valid for whatever model this instance serves. The document
 * is rewritten once, on the first request after the model is loaded.
 */
@Controller
public final class OpenApiController {
  /** Where the build writes the document, and the path it is served at. */
  static final String DOCUMENT = "META-INF/swagger/prediction-function.yml";

  private static final String YAML = "application/yaml";

  private final Scorer scorer;
  private volatile String rewritten;

  public OpenApiController(Scorer scorer) {
    this.scorer = scorer;
  }

  /** The document; until a model is loaded, as generated. */
  @Get(uri = "/swagger/prediction-function.yml", produces = YAML)
  @Operation(summary = "This OpenAPI document, its examples made for the serving model")
  public HttpResponse<String> document() {
    String document = rewritten;
    if (document == null) {
      ModelCard card;
      try {
        card = scorer.predictor().card();
      } catch (ScoringException e) {
        return HttpResponse.ok(generated()).contentType(MediaType.of(YAML));
      }
      document = withExamples(generated(), card);
      rewritten = document;
    }
    return HttpResponse.ok(document).contentType(MediaType.of(YAML));
  }

  /** {@code document} with every request example replaced by one for {@code card}'s model. */
  @SuppressWarnings("unchecked")
  static String withExamples(String document, ModelCard card) {
    Map<String, Object> root = new Yaml().load(document);
    Map<String, Object> paths = (Map<String, Object>) root.get("paths");
    for (Map.Entry<String, Object> path : paths.entrySet()) {
      Map<String, Object> post =
          (Map<String, Object>) ((Map<String, Object>) path.getValue()).get("post");
      if (post == null || post.get("requestBody") == null) {
        continue;
      }
      Map<String, Object> content =
          (Map<String, Object>) ((Map<String, Object>) post.get("requestBody")).get("content");
      Map<String, Object> json = (Map<String, Object>) content.get(MediaType.APPLICATION_JSON);
      if (json == null || json.get("examples") == null) {
        continue;
      }
      Map<String, Object> examples = (Map<String, Object>) json.get("examples");
      if (path.getKey().equals(BigQueryConfiguration.PATH)) {
        examples.replaceAll((name, example) -> example(remoteFunctionBody(card)));
      } else if (path.getKey().endsWith("/infer")) {
        if (ExampleRows.allNumeric(card)) {
          examples.replaceAll((name, example) -> example(inferBody(card)));
        } else {
          json.remove("examples"); // the Open Inference Protocol takes numeric tensors only
        }
      } else if (path.getKey().equals(FeedbackController.PATH)) {
        examples.replaceAll((name, example) -> example(feedbackBody(name, card)));
      } else {
        examples.replaceAll((name, example) -> example(predictBody(name, card)));
      }
    }
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(options).dump(root);
  }

  private static Map<String, Object> example(Object value) {
    return Map.of("value", value);
  }

  /** {@code POST /predict}'s examples by name: one row by position, one by name, a batch. */
  private static Map<String, Object> predictBody(String name, ModelCard card) {
    List<Map<String, Object>> rows = ExampleRows.of(card, 3);
    return switch (name) {
      case "one row" -> Map.of("features", new ArrayList<>(rows.get(0).values()));
      case "one row by name" -> Map.of("features", rows.get(2));
      default -> Map.of("instances", List.of(new ArrayList<>(rows.get(1).values()), rows.get(2)));
    };
  }

  /** {@code POST /feedback}'s examples by name: one label, or two under {@code feedback}. */
  private static Map<String, Object> feedbackBody(String name, ModelCard card) {
    List<String> labels = card.labels();
    Map<String, Object> first = new LinkedHashMap<>();
    first.put("prediction_id", "0193a5f2-8e41-7c3a-9d2e-5b7f0c1a2b3c");
    first.put("label", labels.get(0));
    if (name.equals("one label")) {
      return first;
    }
    Map<String, Object> second = new LinkedHashMap<>();
    second.put("prediction_id", "0193a5f2-8e41-7c3a-9d2e-5b7f0c1a2b3d");
    second.put("label", labels.get(labels.size() - 1));
    return Map.of("feedback", List.of(first, second));
  }

  /** A BigQuery remote-function request of two rows, as BigQuery sends it. */
  private static Map<String, Object> remoteFunctionBody(ModelCard card) {
    List<Object> calls = new ArrayList<>();
    ExampleRows.of(card, 2).forEach(row -> calls.add(new ArrayList<>(row.values())));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("requestId", "124ab1c");
    body.put("caller", "//bigquery.googleapis.com/projects/my-project/jobs/my-project:US.job_1");
    body.put("sessionUser", "analyst@example.com");
    body.put("userDefinedContext", Map.of("return", "label"));
    body.put("calls", calls);
    return body;
  }

  /** An {@code infer} body: one FP32 tensor of two rows. */
  private static Map<String, Object> inferBody(ModelCard card) {
    List<Map<String, Object>> rows = ExampleRows.of(card, 2);
    List<Object> data = new ArrayList<>();
    rows.forEach(row -> data.addAll(row.values()));
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("name", "input");
    input.put("shape", List.of(rows.size(), card.features().size()));
    input.put("datatype", "FP32");
    input.put("data", data);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", "42");
    body.put("inputs", List.of(input));
    return body;
  }

  private static String generated() {
    try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException(DOCUMENT + " is not on the classpath; the build makes it");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
