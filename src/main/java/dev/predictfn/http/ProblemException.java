package dev.predictfn.http;

import dev.predictfn.scoring.ScoringException;
import io.micronaut.http.HttpStatus;
import java.util.List;

/**
 * A request that cannot be served as sent, answered as an RFC 9457 problem by {@link
 * ProblemHandler}: the status, what the caller must fix, and the offending fields.
 */
public final class ProblemException extends RuntimeException {
  private final HttpStatus status;
  private final List<Problem.FieldError> errors;

  public ProblemException(HttpStatus status, String detail, List<Problem.FieldError> errors) {
    super(detail, null, false, false);
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  /** A 400 about one field. */
  public static ProblemException badField(String pointer, String detail) {
    return new ProblemException(
        HttpStatus.BAD_REQUEST, detail, List.of(new Problem.FieldError(pointer, detail)));
  }

  /** A 400 about the body as a whole. */
  public static ProblemException badBody(String detail) {
    return new ProblemException(HttpStatus.BAD_REQUEST, detail, List.of());
  }

  /**
   * The problem for a scoring failure: 503 while no model is loaded, else a 400 that points at the
   * offending row.
   *
   * @param rowPointer the JSON Pointer of the request's rows, e.g. {@code #/instances/}; the row's
   *     index is appended (empty: the pointer of a single row, e.g. {@code #/features})
   */
  public static ProblemException of(ScoringException failure, String rowPointer) {
    return switch (failure.reason()) {
      case MODEL_UNAVAILABLE ->
          new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, failure.getMessage(), List.of());
      case UNSCORABLE_ROW ->
          badField(
              rowPointer.endsWith("/") ? rowPointer + failure.row() : rowPointer,
              failure.getMessage());
      case EXPLANATION_UNAVAILABLE -> badBody(failure.getMessage());
    };
  }

  public HttpStatus status() {
    return status;
  }

  public List<Problem.FieldError> errors() {
    return errors;
  }
}
