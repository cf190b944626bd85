package dev.predictfn.batch;

import dev.predictfn.http.Problem;
import java.util.List;

/** A line that is not a row the model can score, with what is wrong, as the HTTP API words it. */
final class BadRowException extends Exception {
  private final List<Problem.FieldError> errors;

  BadRowException(List<Problem.FieldError> errors) {
    super(errors.get(0).detail(), null, false, false);
    this.errors = errors;
  }

  BadRowException(String detail) {
    this(List.of(new Problem.FieldError("#", detail)));
  }

  List<Problem.FieldError> errors() {
    return errors;
  }
}
