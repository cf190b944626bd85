package dev.predictfn.shadow;

/**
 * The comparison could not be made (a revision unreachable, a card or rows file unusable): exit 1,
 * never a verdict about the candidate.
 */
public final class ComparisonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ComparisonException(String message) {
    super(message);
  }
}
