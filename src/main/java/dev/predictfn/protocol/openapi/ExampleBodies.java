package dev.predictfn.protocol.openapi;

import dev.predictfn.bundle.ModelCard;
import dev.predictfn.protocol.bigquery.BigQueryConfiguration;
import dev.predictfn.protocol.feedback.FeedbackController;
import io.micronaut.http.MediaType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI document's examples for the serving model: request bodies from its card's training
 * statistics ({@link ExampleRows}), answers from its labels, and the model's name and version as
 * the Open Inference Protocol's path parameters.
 */
final class ExampleBodies {
  private static final String PREDICTION_ID = "0193a5f2-8e41-7c3a-9d2e-5b7f0c1a2b3c";

  private ExampleBodies() {}

  /** Replaces the request and 200 examples of the POST operation at {@code path}. */
  @SuppressWarnings("unchecked")
  static void rewrite(String path, Map<String, Object> post, ModelCard card) {
    Map<String, Object> request = json(post.get("requestBody"));
    if (request != null && request.get("examples") != null) {
      Map<String, Object> examples = (Map<String, Object>) request.get("examples");
      if (path.equals(BigQueryConfiguration.PATH)) {
        examples.replaceAll((name, example) -> example(remoteFunctionBody(card)));
      } else if (path.endsWith("/infer")) {
        if (ExampleRows.allNumeric(card)) {
          examples.replaceAll((name, example) -> example(inferBody(card)));
        } else {
          request.remove("examples"); // the Open Inference Protocol takes numeric tensors only
        }
      } else if (path.equals(FeedbackController.PATH)) {
        examples.replaceAll((name, example) -> example(feedbackBody(name, card)));
      } else {
        examples.replaceAll((name, example) -> example(predictBody(name, card)));
      }
    }
    Map<String, Object> responses = (Map<String, Object>) post.get("responses");
    Map<String, Object> answer = responses == null ? null : json(responses.get("200"));
    if (answer == null) {
      return;
    }
    if (path.equals(BigQueryConfiguration.PATH)) {
      answer.put("example", Map.of("replies", List.of(labelOf(card, 0), labelOf(card, 1))));
    } else if (path.endsWith("/infer") && ExampleRows.allNumeric(card)) {
      answer.put("example", inferAnswer(card));
    } else if (path.equals("/predict")) {
      Map<String, Object> examples = new LinkedHashMap<>();
      examples.put("one row", example(predictAnswer(card, false)));
      examples.put("batch", example(predictAnswer(card, true)));
      answer.put("examples", examples);
    }
  }

  /**
   * Gives the Open Inference Protocol's {@code name} parameter the serving model's name as default
   * and example, and {@code version} its version as example.
   */
  @SuppressWarnings("unchecked")
  static void fillPathParameters(Map<String, Object> operation, ModelCard card) {
    if (!(operation.get("parameters") instanceof List<?> parameters)) {
      return;
    }
    for (Object item : parameters) {
      Map<String, Object> parameter = (Map<String, Object>) item;
      if (!"path".equals(parameter.get("in"))) {
        continue;
      }
      Map<String, Object> schema = (Map<String, Object>) parameter.get("schema");
      if ("name".equals(parameter.get("name"))) {
        parameter.put("example", card.modelName());
        if (schema != null) {
          schema.put("default", card.modelName());
        }
      } else if ("version".equals(parameter.get("name"))) {
        parameter.put("example", card.modelVersion());
      }
    }
  }

  /** The {@code application/json} content of a request body or response, if it has one. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(Object bodyOrResponse) {
    if (!(bodyOrResponse instanceof Map<?, ?> map) || !(map.get("content") instanceof Map<?, ?>)) {
      return null;
    }
    return (Map<String, Object>)
        ((Map<String, Object>) map.get("content")).get(MediaType.APPLICATION_JSON);
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
    first.put("prediction_id", PREDICTION_ID);
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

  /** Label {@code i} (wrapping) of the card. */
  private static String labelOf(ModelCard card, int i) {
    return card.labels().get(i % card.labels().size());
  }

  /**
   * Illustrative probabilities with label {@code top} the most probable: 0.9 for it, the rest
   * shared by the others; they sum to 1.
   */
  private static Map<String, Object> probabilities(ModelCard card, int top) {
    List<String> labels = card.labels();
    double others = labels.size() == 1 ? 0 : 0.1 / (labels.size() - 1);
    Map<String, Object> probabilities = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      double p = labels.size() == 1 ? 1 : i == top % labels.size() ? 0.9 : others;
      probabilities.put(labels.get(i), BigDecimal.valueOf(p).setScale(4, RoundingMode.HALF_UP));
    }
    return probabilities;
  }

  /** {@code POST /predict}'s answer to one row, or to a batch of two. */
  private static Map<String, Object> predictAnswer(ModelCard card, boolean batch) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < (batch ? 2 : 1); i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("prediction", labelOf(card, i));
      row.put("probabilities", probabilities(card, i));
      if (!batch) {
        row.put("model_version", card.modelVersion());
      }
      row.put("prediction_id", PREDICTION_ID.substring(0, 35) + i);
      rows.add(row);
    }
    if (!batch) {
      return rows.get(0);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("predictions", rows);
    answer.put("model_version", card.modelVersion());
    return answer;
  }

  /** An {@code infer} answer to the two-row request: labels and FP32 probabilities. */
  private static Map<String, Object> inferAnswer(ModelCard card) {
    List<Object> probabilities = new ArrayList<>();
    probabilities.addAll(probabilities(card, 0).values());
    probabilities.addAll(probabilities(card, 1).values());
    Map<String, Object> label = new LinkedHashMap<>();
    label.put("name", "label");
    label.put("datatype", "BYTES");
    label.put("shape", List.of(2));
    label.put("data", List.of(labelOf(card, 0), labelOf(card, 1)));
    Map<String, Object> probability = new LinkedHashMap<>();
    probability.put("name", "probabilities");
    probability.put("datatype", "FP32");
    probability.put("shape", List.of(2, card.labels().size()));
    probability.put("data", probabilities);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("model_name", card.modelName());
    answer.put("model_version", card.modelVersion());
    answer.put("id", "42");
    answer.put("outputs", List.of(label, probability));
    return answer;
  }
}
