package dev.predictfn.protocol.predict;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.http.ApiException;
import dev.predictfn.http.JsonBodies;
import dev.predictfn.rows.FieldErrors;
import dev.predictfn.rows.RowReader;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@code POST /predict} body into a {@link PredictRequest} or an {@link ApiException} that
 * says exactly what to fix.
 *
 * <p>Accepted shapes, values in the card's feature order or by feature name:
 *
 * <pre>
 * {"features": [5.1, 3.5, 1.4, 0.2]}
 * {"features": {"sepal_length": 5.1, "sepal_width": 3.5, ...}}
 * {"instances": [[5.1, 3.5, 1.4, 0.2], {"sepal_length": 6.7, ...}]}
 * </pre>
 *
 * Rows are validated by {@link JsonBodies}; problems are collected with a JSON Pointer each, so a
 * caller fixes a whole request in one round trip.
 */
@Singleton
public final class PredictRequestDecoder {
  private static final String FEATURES = "features";
  private static final String INSTANCES = "instances";

  private final JsonBodies jsonRows;

  public PredictRequestDecoder(JsonBodies jsonRows) {
    this.jsonRows = jsonRows;
  }

  /**
   * Decodes {@code body} for a model whose inputs {@code input} describes.
   *
   * @param http the request, for its path and Content-Length
   * @param body the raw request body
   * @param input the model's features in order, with their kinds and known categories
   */
  public PredictRequest decode(HttpRequest<?> http, @Nullable byte[] body, InputSchema input) {
    List<String> features = input.names();
    JsonNode root =
        jsonRows.readObject(
            http,
            body,
            "{\"features\": " + example(features) + "}",
            "\"features\" (one row) or \"instances\" (a batch)");
    FieldErrors errors = new FieldErrors();
    for (Map.Entry<String, JsonNode> field : root.entries()) {
      String name = field.getKey();
      if (!name.equals(FEATURES) && !name.equals(INSTANCES)) {
        errors.add(
            "#/" + RowReader.escape(name),
            "Unknown field \""
                + name
                + "\"; send \"features\" (one row) or \"instances\" (a batch).");
      }
    }
    JsonNode single = root.get(FEATURES);
    JsonNode batch = root.get(INSTANCES);
    if (single != null && batch != null) {
      throw ApiException.badRequest(
          "Send either \"features\" (one row) or \"instances\" (a batch), not both.");
    }
    if (single == null && batch == null) {
      ApiException.throwIfAny(errors);
      throw ApiException.badField(
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
      ApiException.throwIfAny(errors);
      rows = List.of(row);
    } else {
      rows = jsonRows.batch(batch, input, errors);
      ApiException.throwIfAny(errors);
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
