package dev.predictfn.protocol.bigquery;

import io.micronaut.core.annotation.Nullable;
import java.util.List;
import java.util.Map;

/**
 * One decoded remote-function request.
 *
 * @param requestId BigQuery's id of this request (the same when it sends the request again)
 * @param context the function's {@code user_defined_context}, empty when it has none
 * @param rows one validated row per call, in order; {@code null} for a call with a NULL argument
 * @param firstNull where the first NULL argument is, for the message (e.g. {@code calls[3][1]
 *     (sepal_width)}), or null when there is none
 */
record RemoteCalls(
    @Nullable String requestId,
    Map<String, String> context,
    List<double[]> rows,
    @Nullable String firstNull) {}
