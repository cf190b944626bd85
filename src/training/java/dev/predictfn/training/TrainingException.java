package dev.predictfn.training;

/** Training cannot proceed; the message names the file, line and column or setting at fault. */
public final class TrainingException extends RuntimeException {
  public TrainingException(String message) {
    super(message);
  }

  public TrainingException(String message, Throwable cause) {
    super(message, cause);
  }
}
