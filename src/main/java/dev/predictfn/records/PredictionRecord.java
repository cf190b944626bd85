package dev.predictfn.records;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.bundle.ModelCard;
import dev.predictfn.model.PredictionResult;
import io.micronaut.core.annotation.Nullable;

/**
 * One sampled row's prediction, as it waits to be written ({@link RecordJson} writes it).
 *
 * @param epochMillis when it was scored
 * @param card the card of the model that scored it
 * @param schema that model's input schema, to name the row's features
 * @param revision the Cloud Run revision that scored it ({@code ""} elsewhere)
 * @param protocol the protocol the row arrived by: {@code predict}, {@code oip}, {@code vertex} or
 *     {@code bigquery}
 * @param result the prediction, with its id
 * @param row the row's features in the card's order, or {@code null} when records leave them out
 * @param trace the request's trace id, or {@code null}
 */
record PredictionRecord(
    long epochMillis,
    ModelCard card,
    InputSchema schema,
    String revision,
    String protocol,
    PredictionResult result,
    @Nullable double[] row,
    @Nullable String trace) {}
