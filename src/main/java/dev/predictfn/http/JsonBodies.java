package dev.predictfn.http;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.rows.FieldErrors;
import dev.predictfn.rows.JsonInput;
import dev.predictfn.rows.RowReader;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
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
 * model card lists (or any string, when the card maps unseen categories to {@code other}), as
 * {@link RowReader} checks it. Every problem gets a JSON Pointer, and the limits of {@link
 * BodyLimits} answer 413.
 */
@Singleton
public final class JsonBodies {
  private final JsonMapper mapper;
  private final BodyLimits bodyLimits;

  public JsonBodies(JsonMapper mapper, BodyLimits bodyLimits) {
    this.mapper = mapper;
    this.bodyLimits = bodyLimits;
  }

  /**
   * Checks the size, presence and syntax of a JSON body and that it is an object.
   *
   * @param example a body to show callers who sent nothing
   * @param expected what the object should hold, for the wrong-shape message
   */
  public JsonNode readObject(
      HttpRequest<?> request, @Nullable byte[] body, String example, String expected) {
    byte[] json = bodyLimits.require(request, body, "a JSON object such as " + example);
    JsonNode root;
    try {
      root = JsonInput.parse(mapper, json);
    } catch (JsonInput.MalformedJsonException e) {
      throw ApiException.badRequest("The request body is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw ApiException.badRequest(
          "The request body must be a JSON object with "
              + expected
              + ", but it is "
              + (root == null ? "null" : JsonInput.kind(root))
              + ".");
    }
    return root;
  }

  /** Validates {@code instances} (1 to the batch cap rows, arrays or objects) into rows. */
  public List<double[]> rows(JsonNode instances, InputSchema input) {
    FieldErrors errors = new FieldErrors();
    List<double[]> rows = batch(instances, input, errors);
    ApiException.throwIfAny(errors);
    return rows;
  }

  /**
   * Validates {@code batch} as the array of rows at {@code #/instances}, collecting the rows'
   * problems in {@code errors}; an empty or over-size batch throws at once.
   */
  public List<double[]> batch(JsonNode batch, InputSchema input, FieldErrors errors) {
    if (!batch.isArray()) {
      throw ApiException.badField(
          "#/instances",
          "\"instances\" must be an array of rows, but it is " + JsonInput.kind(batch) + ".");
    }
    int size = batch.size();
    if (size == 0) {
      throw ApiException.badField("#/instances", "\"instances\" is empty; send at least one row.");
    }
    bodyLimits.requireBatch(size, "\"instances\"", "#/instances", "rows");
    RowReader schema = new RowReader(input);
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
    return new RowReader(input).row(node, path, pointer, errors);
  }
}
