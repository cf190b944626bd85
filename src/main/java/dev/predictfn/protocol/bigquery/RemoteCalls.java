package dev.predictfn.protocol.bigquery;

import dev.predictfn.http.ApiException;
import io.micronaut.core.annotation.Nullable;
import java.util.ArrayList;
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
    @Nullable String firstNull) {

  /**
   * The rows to score, in order: every call without a NULL argument. A NULL fails the request
   * unless {@code format} answers NULL for such rows.
   */
  List<double[]> toScore(ReplyFormat format) {
    if (firstNull != null && !format.nullForNullRows()) {
      throw ApiException.badRequest(
          firstNull
              + " is NULL, and the model needs every feature. Filter or COALESCE NULLs in the"
              + " query, or create the function with user_defined_context"
              + " [(\"on_null\", \"null\")] to answer NULL for such rows.");
    }
    if (firstNull == null) {
      return rows;
    }
    List<double[]> scored = new ArrayList<>(rows.size());
    for (double[] row : rows) {
      if (row != null) {
        scored.add(row);
      }
    }
    return scored;
  }

  /**
   * How BigQuery's user sees row {@code i} of {@link #toScore}: its call, e.g. {@code calls[7]}.
   */
  String callOf(int i) {
    int seen = -1;
    for (int call = 0; call < rows.size(); call++) {
      if (rows.get(call) != null && ++seen == i) {
        return "calls[" + call + "]";
      }
    }
    throw new IndexOutOfBoundsException(i);
  }
}
