package dev.predictfn.protocol.predict;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The shape of a {@code POST /predict} body, for the OpenAPI document only: requests are decoded by
 * {@link PredictRequestDecoder}, which reports errors field by field.
 *
 * @param features one row: numbers in the model's feature order, or an object of name to number
 * @param instances a batch: rows as arrays or objects, answered in order
 */
@Schema(
    name = "PredictRequest",
    description =
        "Send exactly one of features (one row) or instances (a batch). Every value"
            + " is a finite JSON number.")
public record PredictRequestSchema(
    @Schema(
            description =
                "One row, by position ([5.1, 3.5, 1.4, 0.2]) or by name"
                    + " ({\"sepal_length\": 5.1, ...}); see GET /model for the feature order.",
            oneOf = {double[].class, Object.class})
        @Nullable
        Object features,
    @Schema(description = "A batch of rows (arrays or objects), 1 to MAX_BATCH_SIZE (1000).")
        @Nullable
        List<Object> instances) {

  /** Example bodies shown in the OpenAPI document; a test sends each one. */
  static final String ONE_ROW = "{\"features\":[5.1,3.5,1.4,0.2]}";

  static final String ONE_ROW_BY_NAME =
      "{\"features\":{\"sepal_length\":6.3,\"sepal_width\":3.3,\"petal_length\":6.0,"
          + "\"petal_width\":2.5}}";

  static final String BATCH =
      "{\"instances\":[[5.9,3.0,4.2,1.5],{\"sepal_length\":6.9,\"sepal_width\":3.1,"
          + "\"petal_length\":5.4,\"petal_width\":2.1}]}";
}
