package dev.predictfn.model;

/** An explanation was asked of a model that cannot explain its scores exactly (not linear). */
public final class ExplanationUnavailableException extends RuntimeException {
  public ExplanationUnavailableException(String modelType) {
    super(
        "Explanations are exact only for linear models; the serving model is a "
            + modelType
            + ". Ask without explain.",
        null,
        false,
        false);
  }
}
