package dev.predictfn.bundle;

/** A model bundle failed verification; the message names the file, the expected and the actual. */
public final class InvalidBundleException extends Exception {
  public InvalidBundleException(String message) {
    super(message);
  }

  public InvalidBundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
