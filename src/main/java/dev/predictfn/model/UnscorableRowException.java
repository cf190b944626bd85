package dev.predictfn.model;

/**
 * A row passed validation (finite numbers, the right count) yet the model cannot score it: its
 * values are so far from the training data that a class score overflows a double, so no
 * probabilities exist. The caller's data is at fault, not the service, so protocols answer 4xx.
 */
public final class UnscorableRowException extends RuntimeException {
  private final int row;

  /** What is wrong with such a row, in the words every protocol and the batch job use. */
  public static final String MESSAGE =
      "The values are too large for the model: its class scores overflow to infinity, so it"
          + " has no probabilities for them. Send values of the magnitude the model was trained"
          + " on (see /model for the features).";

  public UnscorableRowException(int row) {
    super(MESSAGE, null, false, false);
    this.row = row;
  }

  /** The index of the row in the request's rows (0 for a single row). */
  public int row() {
    return row;
  }
}
