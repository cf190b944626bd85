package dev.predictfn.http;

import dev.predictfn.bundle.InputSchema;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

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
    JsonRowReader schema = new JsonRowReader(input);
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
    return new JsonRowReader(input).row(node, path, pointer, errors);
  }

  /** JSON Pointer escaping (RFC 6901). */
  public static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
