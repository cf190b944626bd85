package dev.predictfn.api;

import dev.predictfn.model.InputSchema;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Turns a {@code POST /predict} body into a {@link PredictRequest} or an {@link
 * InvalidRequestException} that says exactly what to fix.
 *
 * <p>Accepted shapes, values in the card's feature order or by feature name:
 *
 * <pre>
 * {"features": [5.1, 3.5, 1.4, 0.2]}
 * {"features": {"sepal_length": 5.1, "sepal_width": 3.5, ...}}
 * {"instances": [[5.1, 3.5, 1.4, 0.2], {"sepal_length": 6.7, ...}]}
 * </pre>
 *
 * A numeric feature takes a finite JSON number, a categorical one a string naming a category the
 * model card lists (or any string, when the card maps unseen categories to {@code other}).
 * Problems are collected (up to {@value #MAX_ERRORS})
 * with a JSON Pointer each, so a caller fixes a whole batch in one round trip.
 */
@Singleton
public final class PredictRequestDecoder {
  static final int MAX_ERRORS = 20;
  private static final String FEATURES = "features";
  private static final String INSTANCES = "instances";

  private final JsonMapper mapper;
  private final ApiConfiguration limits;

  public PredictRequestDecoder(JsonMapper mapper, ApiConfiguration limits) {
    this.mapper = mapper;
    this.limits = limits;
  }

  /**
   * Decodes {@code body} for a model whose inputs {@code input} describes.
   *
   * @param body the raw request body
   * @param declaredLength the request's Content-Length, or -1 when it has none
   * @param input the model's features in order, with their kinds and known categories
   */
  public PredictRequest decode(@Nullable byte[] body, long declaredLength, InputSchema input) {
    List<String> features = input.names();
    JsonNode root =
        readObject(
            body,
            declaredLength,
            "{\"features\": " + example(features) + "}",
            "\"features\" (one row) or \"instances\" (a batch)");
    Errors errors = new Errors();
    for (Map.Entry<String, JsonNode> field : root.entries()) {
      String name = field.getKey();
      if (!name.equals(FEATURES) && !name.equals(INSTANCES)) {
        errors.add(
            "#/" + escape(name),
            "Unknown field \""
                + name
                + "\"; send \"features\" (one row) or \"instances\" (a batch).");
      }
    }
    JsonNode single = root.get(FEATURES);
    JsonNode batch = root.get(INSTANCES);
    if (single != null && batch != null) {
      throw InvalidRequestException.badBody(
          "Send either \"features\" (one row) or \"instances\" (a batch), not both.");
    }
    if (single == null && batch == null) {
      errors.throwIfAny();
      throw InvalidRequestException.badField(
          "#/features",
          "Missing \"features\": send {\"features\": "
              + example(features)
              + "} with "
              + features.size()
              + " numbers in the order "
              + features
              + ", or {\"instances\": [[...], ...]} for a batch.");
    }
    Schema schema = new Schema(input);
    List<double[]> rows;
    if (single != null) {
      double[] row = schema.row(single, FEATURES, "#/features", errors);
      errors.throwIfAny();
      rows = List.of(row);
    } else {
      rows = decodeBatch(batch, schema, errors);
      errors.throwIfAny();
    }
    return new PredictRequest(batch != null, rows);
  }

  /**
   * Checks the size, presence and syntax of a JSON body and that it is an object.
   *
   * @param example a body to show callers who sent nothing
   * @param expected what the object should hold, for the wrong-shape message
   */
  public JsonNode readObject(
      @Nullable byte[] body, long declaredLength, String example, String expected) {
    long length = JsonBody.length(body, declaredLength);
    if (length > limits.maxBodyBytes()) {
      throw new InvalidRequestException(
          HttpStatus.REQUEST_ENTITY_TOO_LARGE,
          "The request body is "
              + length
              + " bytes; the limit is "
              + limits.maxBodyBytes()
              + " bytes. Split the batch into smaller requests.",
          List.of());
    }
    if (JsonBody.isBlank(body)) {
      throw InvalidRequestException.badBody(
          "The request body is empty; send a JSON object such as " + example + ".");
    }
    JsonNode root;
    try {
      root = JsonBody.parse(mapper, body);
    } catch (JsonBody.MalformedJsonException e) {
      throw InvalidRequestException.badBody(
          "The request body is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw InvalidRequestException.badBody(
          "The request body must be a JSON object with "
              + expected
              + ", but it is "
              + (root == null ? "null" : JsonBody.kind(root))
              + ".");
    }
    return root;
  }

  /** Validates {@code instances} (1 to the batch cap rows, arrays or objects) into rows. */
  public List<double[]> rows(JsonNode instances, InputSchema input) {
    Errors errors = new Errors();
    List<double[]> rows = decodeBatch(instances, new Schema(input), errors);
    errors.throwIfAny();
    return rows;
  }

  private List<double[]> decodeBatch(JsonNode batch, Schema schema, Errors errors) {
    if (!batch.isArray()) {
      throw InvalidRequestException.badField(
          "#/instances",
          "\"instances\" must be an array of rows, but it is " + JsonBody.kind(batch) + ".");
    }
    int size = batch.size();
    if (size == 0) {
      throw InvalidRequestException.badField(
          "#/instances", "\"instances\" is empty; send at least one row.");
    }
    if (size > limits.maxBatchSize()) {
      throw new InvalidRequestException(
          HttpStatus.REQUEST_ENTITY_TOO_LARGE,
          "\"instances\" has "
              + size
              + " rows but at most "
              + limits.maxBatchSize()
              + " are accepted per request; split the batch.",
          List.of(
              new Problem.FieldError("#/instances", "at most " + limits.maxBatchSize() + " rows")));
    }
    List<double[]> rows = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      rows.add(schema.row(batch.get(i), INSTANCES + "[" + i + "]", "#/instances/" + i, errors));
    }
    return rows;
  }

  private static String example(List<String> features) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < features.size(); i++) {
      out.append(i == 0 ? "" : ", ").append("<").append(features.get(i)).append(">");
    }
    return out.append("]").toString();
  }

  /** JSON Pointer escaping (RFC 6901). */
  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  /** The model's features, by position and by name. */
  private static final class Schema {
    private final InputSchema input;
    private final List<String> names;
    private final boolean allNumeric;

    Schema(InputSchema input) {
      this.input = input;
      this.names = input.names();
      this.allNumeric = input.categoricalNames().isEmpty();
    }

    double[] row(JsonNode node, String path, String pointer, Errors errors) {
      double[] row = new double[names.size()];
      if (node.isArray()) {
        if (node.size() != names.size()) {
          errors.add(
              pointer,
              path
                  + " has "
                  + node.size()
                  + " values but the model takes "
                  + names.size()
                  + ", in the order "
                  + names
                  + ".");
          return row;
        }
        for (int i = 0; i < row.length; i++) {
          row[i] =
              value(
                  i,
                  node.get(i),
                  path + "[" + i + "] (" + names.get(i) + ")",
                  pointer + "/" + i,
                  errors);
        }
      } else if (node.isObject()) {
        boolean[] seen = new boolean[names.size()];
        for (Map.Entry<String, JsonNode> entry : node.entries()) {
          int i = input.indexOf(entry.getKey());
          String childPointer = pointer + "/" + escape(entry.getKey());
          if (i < 0) {
            errors.add(
                childPointer,
                path
                    + " has unknown feature \""
                    + entry.getKey()
                    + "\"; the model's features are "
                    + names
                    + ".");
            continue;
          }
          seen[i] = true;
          row[i] = value(i, entry.getValue(), path + "." + entry.getKey(), childPointer, errors);
        }
        for (int i = 0; i < seen.length; i++) {
          if (!seen[i]) {
            errors.add(
                pointer + "/" + escape(names.get(i)),
                path + " is missing feature \"" + names.get(i) + "\".");
          }
        }
      } else {
        errors.add(
            pointer,
            path
                + " must be an array of "
                + names.size()
                + (allNumeric ? " numbers" : " values")
                + " or an object of feature name to "
                + (allNumeric ? "number" : "value")
                + ", but it is "
                + JsonBody.kind(node)
                + ".");
      }
      return row;
    }

    private double value(int f, JsonNode value, String path, String pointer, Errors errors) {
      if (!input.isCategorical(f)) {
        return number(value, path, pointer, errors);
      }
      List<String> known = input.categories(f);
      if (value == null || !value.isString()) {
        errors.add(
            pointer,
            path
                + " is categorical and must be a string, one of "
                + known
                + ", but it is "
                + JsonBody.kind(value)
                + ".");
        return 0;
      }
      int category = input.categoryValue(f, value.getStringValue());
      if (category < (int) InputSchema.UNKNOWN_CATEGORY) {
        errors.add(
            pointer,
            path
                + " is \""
                + value.getStringValue()
                + "\", a category the model was not trained on; send one of "
                + known
                + ".");
        return 0;
      }
      return category;
    }

    private static double number(JsonNode value, String path, String pointer, Errors errors) {
      OptionalDouble number = JsonBody.finiteNumber(value);
      if (number.isPresent()) {
        return number.getAsDouble();
      }
      errors.add(
          pointer, path + " must be a finite number, but it is " + JsonBody.kind(value) + ".");
      return 0;
    }
  }

  /** Collects field errors and throws them as one 400. */
  private static final class Errors {
    private final List<Problem.FieldError> list = new ArrayList<>();
    private int total;

    void add(String pointer, String detail) {
      total++;
      if (list.size() < MAX_ERRORS) {
        list.add(new Problem.FieldError(pointer, detail));
      }
    }

    void throwIfAny() {
      if (total == 0) {
        return;
      }
      String detail =
          total == 1
              ? list.get(0).detail()
              : total
                  + " problems in the request body (the first "
                  + list.size()
                  + " are listed in \"errors\"); the first: "
                  + list.get(0).detail();
      throw new InvalidRequestException(HttpStatus.BAD_REQUEST, detail, list);
    }
  }
}
