package dev.predictfn.api;

import io.micronaut.http.HttpStatus;
import java.util.List;

/** The request cannot be served as sent; carries the status and what the caller must fix. */
public final class InvalidRequestException extends RuntimeException {
  private final HttpStatus status;
  private final List<Problem.FieldError> errors;

  public InvalidRequestException(
      HttpStatus status, String detail, List<Problem.FieldError> errors) {
    super(detail, null, false, false);
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  /** A 400 about one field. */
  public static InvalidRequestException badField(String pointer, String detail) {
    return new InvalidRequestException(
        HttpStatus.BAD_REQUEST, detail, List.of(new Problem.FieldError(pointer, detail)));
  }

  /** A 400 about the body as a whole. */
  public static InvalidRequestException badBody(String detail) {
    return new InvalidRequestException(HttpStatus.BAD_REQUEST, detail, List.of());
  }

  public HttpStatus status() {
    return status;
  }

  public List<Problem.FieldError> errors() {
    return errors;
  }
}
