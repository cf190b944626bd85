package dev.predictfn.protocol.predict;

import java.util.List;

/**
 * A validated prediction request: finite feature rows in the model's feature order.
 *
 * @param batch whether the caller sent {@code instances} (answered with {@code predictions})
 * @param rows the rows, at least one
 */
public record PredictRequest(boolean batch, List<double[]> rows) {}
