package dev.predictfn.shadow;

import java.util.Map;

/**
 * One revision's answer to one row.
 *
 * @param status the HTTP status, or 0 when no answer came (connection refused, timeout)
 * @param nanos how long the call took, from sending the request to the last byte
 * @param label the predicted label, or null unless the status is 200
 * @param probabilities label to probability, empty unless the status is 200
 * @param problem what went wrong, for the report: the body's start or the exception, or null
 */
record Answer(
    int status, long nanos, String label, Map<String, Double> probabilities, String problem) {

  boolean ok() {
    return status == 200 && label != null;
  }

  /** A server error or no answer at all: the revision failed, not the row. */
  boolean failed() {
    return status == 0 || status >= 500;
  }
}
