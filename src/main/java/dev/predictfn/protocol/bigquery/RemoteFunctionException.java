package dev.predictfn.protocol.bigquery;

import dev.predictfn.http.ErrorShape;
import io.micronaut.http.HttpStatus;

/**
 * A remote-function request that cannot be answered, with the status that tells BigQuery what to
 * do: 400 and 413 fail the query at once and show the message to the user; 503 (no model yet) is
 * retried. The message is at most BigQuery's 1 KB.
 */
final class RemoteFunctionException extends RuntimeException {
  private final HttpStatus status;

  RemoteFunctionException(HttpStatus status, String message) {
    super(ErrorShape.bigQueryMessage(message), null, false, false);
    this.status = status;
  }

  static RemoteFunctionException badRequest(String message) {
    return new RemoteFunctionException(HttpStatus.BAD_REQUEST, message);
  }

  HttpStatus status() {
    return status;
  }
}
