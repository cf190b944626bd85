package dev.predictfn.protocol.oip;

import dev.predictfn.scoring.ScoringException;
import io.micronaut.http.HttpStatus;

/** An OIP request that cannot be served; answered as {@code {"error": message}} with the status. */
public final class OipException extends RuntimeException {
  private final HttpStatus status;

  public OipException(HttpStatus status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static OipException badRequest(String message) {
    return new OipException(HttpStatus.BAD_REQUEST, message);
  }

  /** The protocol's answer to a scoring failure: 503 while no model is loaded, else 400. */
  static OipException of(ScoringException failure) {
    return switch (failure.reason()) {
      case MODEL_UNAVAILABLE ->
          new OipException(
              HttpStatus.SERVICE_UNAVAILABLE, "no verified model is loaded; see /v2/health/ready");
      case UNSCORABLE_ROW ->
          badRequest("row " + failure.row() + " of the input: " + failure.getMessage());
      case EXPLANATION_UNAVAILABLE -> badRequest(failure.getMessage());
    };
  }

  public HttpStatus status() {
    return status;
  }
}
