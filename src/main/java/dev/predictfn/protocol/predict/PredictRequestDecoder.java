package dev.predictfn.protocol.predict;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.http.FieldErrors;
import dev.predictfn.http.JsonRows;
import dev.predictfn.http.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@code POST /predict} body into a {@link PredictRequest} or an {@link ProblemException}
 * that says exactly what to fix.
 *
 * <p>Accepted shapes, values in the card's feature order or by feature name:
 *
 * <pre>
 * {"features": [5.1, 3.5, 1.4, 0.2]}
 * {"features": {"sepal_length": 5.1, "sepal_width": 3.5, ...}}
 * {"instances": [[5.1, 3.5, 1.4, 0.2], {"sepal_length": 6.7, ...}]}
 * </pre>
 *
 * Rows are validated by {@link JsonRows}; problems are collected with a JSON Pointer each, so a
 * caller fixes a whole request in one round trip.
 */
@Singleton
public final class PredictRequestDecoder {
  private static final String FEATURES = "features";
  private static final String INSTANCES = "instances";

  private final JsonRows jsonRows;

  public PredictRequestDecoder(JsonRows jsonRows) {
    this.jsonRows = jsonRows;
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
        jsonRows.readObject(
            body,
            declaredLength,
            "{\"features\": " + example(features) + "}",
            "\"features\" (one row) or \"instances\" (a batch)");
    FieldErrors errors = new FieldErrors();
    for (Map.Entry<String, JsonNode> field : root.entries()) {
      String name = field.getKey();
      if (!name.equals(FEATURES) && !name.equals(INSTANCES)) {
        errors.add(
            "#/" + JsonRows.escape(name),
            "Unknown field \""
                + name
                + "\"; send \"features\" (one row) or \"instances\" (a batch).");
      }
    }
    JsonNode single = root.get(FEATURES);
    JsonNode batch = root.get(INSTANCES);
    if (single != null && batch != null) {
      throw ProblemException.badBody(
          "Send either \"features\" (one row) or \"instances\" (a batch), not both.");
    }
    if (single == null && batch == null) {
      errors.throwIfAny();
      throw ProblemException.badField(
          "#/features",
          "Missing \"features\": send {\"features\": "
              + example(features)
              + "} with "
              + features.size()
              + " numbers in the order "
              + features
              + ", or {\"instances\": [[...], ...]} for a batch.");
    }
    List<double[]> rows;
    if (single != null) {
      double[] row = jsonRows.row(single, input, FEATURES, "#/features", errors);
      errors.throwIfAny();
      rows = List.of(row);
    } else {
      rows = jsonRows.batch(batch, input, errors);
      errors.throwIfAny();
    }
    return new PredictRequest(batch != null, rows);
  }

  private static String example(List<String> features) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < features.size(); i++) {
      out.append(i == 0 ? "" : ", ").append("<").append(features.get(i)).append(">");
    }
    return out.append("]").toString();
  }
}
