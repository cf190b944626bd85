package dev.predictfn.scoring;

/**
 * Why {@link Scorer} could not score a request, in protocol-neutral terms: each protocol adapter
 * turns it into its own error shape (an RFC 9457 problem, OIP's {@code {"error"}}, ...).
 */
public final class ScoringException extends RuntimeException {
  /** What went wrong. */
  public enum Reason {
    /** No verified model is loaded: the platform should retry elsewhere (a 503). */
    MODEL_UNAVAILABLE,
    /** One row cannot be scored by this model: the caller's data is at fault (a 400). */
    UNSCORABLE_ROW,
    /** An explanation was asked of a model that cannot give exact ones (a 400). */
    EXPLANATION_UNAVAILABLE
  }

  private final Reason reason;
  private final int row;

  ScoringException(Reason reason, String message, int row) {
    super(message, null, false, false);
    this.reason = reason;
    this.row = row;
  }

  public Reason reason() {
    return reason;
  }

  /** The index of the offending row for {@link Reason#UNSCORABLE_ROW}, else -1. */
  public int row() {
    return row;
  }
}
