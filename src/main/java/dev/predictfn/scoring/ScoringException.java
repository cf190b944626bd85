package dev.predictfn.scoring;

/**
 * Why {@link Scorer} could not score a request, in protocol-neutral terms; one handler answers it
 * for every protocol, in the path's error shape (an RFC 9457 problem, OIP's {@code {"error"}},
 * ...), so no adapter catches it.
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
  private final String where;

  ScoringException(Reason reason, String message, String where) {
    super(message, null, false, false);
    this.reason = reason;
    this.where = where;
  }

  public Reason reason() {
    return reason;
  }

  /**
   * The offending row as its protocol names rows (a JSON Pointer such as {@code #/instances/3},
   * {@code calls[7]}, ...) for {@link Reason#UNSCORABLE_ROW}, else empty.
   */
  public String where() {
    return where;
  }
}
