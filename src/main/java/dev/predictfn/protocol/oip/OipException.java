package dev.predictfn.protocol.oip;

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

  public HttpStatus status() {
    return status;
  }
}
