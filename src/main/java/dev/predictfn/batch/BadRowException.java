package dev.predictfn.batch;

import dev.predictfn.rows.FieldError;
import java.util.List;

/** A line that is not a row the model can score, with what is wrong, as the HTTP API words it. */
final class BadRowException extends Exception {
  private final List<FieldError> errors;

  BadRowException(List<FieldError> errors) {
    super(errors.get(0).detail(), null, false, false);
    this.errors = errors;
  }

  BadRowException(String detail) {
    this(List.of(new FieldError("#", detail)));
  }

  List<FieldError> errors() {
    return errors;
  }
}
