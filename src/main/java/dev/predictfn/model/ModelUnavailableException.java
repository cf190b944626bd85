package dev.predictfn.model;

/** A prediction was asked for while no verified model is loaded. */
public final class ModelUnavailableException extends RuntimeException {
  public ModelUnavailableException(String reason) {
    super(reason);
  }
}
