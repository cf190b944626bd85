package dev.predictfn.http;

import dev.predictfn.bundle.InputSchema;
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
 * Reads JSON request bodies into validated rows for the model's {@link InputSchema}, for every
 * protocol that carries rows as JSON arrays or objects ({@code /predict}, Vertex AI).
 *
 * <p>A row is an array of values in the card's feature order or an object of feature name to value.
 * A numeric feature takes a finite JSON number, a categorical one a string naming a category the
 * model card lists (or any string, when the card maps unseen categories to {@code other}). Every
 * problem gets a JSON Pointer, and the limits of {@link ApiConfiguration} answer 413.
 */
@Singleton
public final class JsonRows {
  private final JsonMapper mapper;
  private final ApiConfiguration limits;

  public JsonRows(JsonMapper mapper, ApiConfiguration limits) {
    this.mapper = mapper;
    this.limits = limits;
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
      throw new ProblemException(
          HttpStatus.REQUEST_ENTITY_TOO_LARGE,
          "The request body is "
              + length
              + " bytes; the limit is "
              + limits.maxBodyBytes()
              + " bytes. Split the batch into smaller requests.",
          List.of());
    }
    if (JsonBody.isBlank(body)) {
      throw ProblemException.badBody(
          "The request body is empty; send a JSON object such as " + example + ".");
    }
    JsonNode root;
    try {
      root = JsonBody.parse(mapper, body);
    } catch (JsonBody.MalformedJsonException e) {
      throw ProblemException.badBody("The request body is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw ProblemException.badBody(
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
    FieldErrors errors = new FieldErrors();
    List<double[]> rows = batch(instances, input, errors);
    errors.throwIfAny();
    return rows;
  }

  /**
   * Validates {@code batch} as the array of rows at {@code #/instances}, collecting the rows'
   * problems in {@code errors}; an empty or over-size batch throws at once.
   */
  public List<double[]> batch(JsonNode batch, InputSchema input, FieldErrors errors) {
    if (!batch.isArray()) {
      throw ProblemException.badField(
          "#/instances",
          "\"instances\" must be an array of rows, but it is " + JsonBody.kind(batch) + ".");
    }
    int size = batch.size();
    if (size == 0) {
      throw ProblemException.badField(
          "#/instances", "\"instances\" is empty; send at least one row.");
    }
    if (size > limits.maxBatchSize()) {
      throw new ProblemException(
          HttpStatus.REQUEST_ENTITY_TOO_LARGE,
          "\"instances\" has "
              + size
              + " rows but at most "
              + limits.maxBatchSize()
              + " are accepted per request; split the batch.",
          List.of(
              new Problem.FieldError("#/instances", "at most " + limits.maxBatchSize() + " rows")));
    }
    Schema schema = new Schema(input);
    List<double[]> rows = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      rows.add(schema.row(batch.get(i), "instances[" + i + "]", "#/instances/" + i, errors));
    }
    return rows;
  }

  /**
   * Validates one row ({@code node}), collecting its problems in {@code errors}.
   *
   * @param path how messages name the row, e.g. {@code features}
   * @param pointer the row's JSON Pointer, e.g. {@code #/features}
   */
  public double[] row(
      JsonNode node, InputSchema input, String path, String pointer, FieldErrors errors) {
    return new Schema(input).row(node, path, pointer, errors);
  }

  /** JSON Pointer escaping (RFC 6901). */
  public static String escape(String name) {
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

    double[] row(JsonNode node, String path, String pointer, FieldErrors errors) {
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

    private double value(int f, JsonNode value, String path, String pointer, FieldErrors errors) {
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

    private static double number(JsonNode value, String path, String pointer, FieldErrors errors) {
      OptionalDouble number = JsonBody.finiteNumber(value);
      if (number.isPresent()) {
        return number.getAsDouble();
      }
      errors.add(
          pointer, path + " must be a finite number, but it is " + JsonBody.kind(value) + ".");
      return 0;
    }
  }
}
