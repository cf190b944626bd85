package dev.predictfn.http;

import dev.predictfn.rows.FieldError;
import dev.predictfn.rows.FieldErrors;
import io.micronaut.http.HttpStatus;
import java.util.List;

/**
 * A request that cannot be served as sent: the status, what the caller must fix, and the offending
 * fields. {@link ApiExceptionHandler} answers it in the path's {@link ErrorShape}.
 */
public final class ApiException extends RuntimeException {
  private final HttpStatus status;
  private final List<FieldError> errors;

  public ApiException(HttpStatus status, String detail, List<FieldError> errors) {
    super(detail, null, false, false);
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  public ApiException(HttpStatus status, String detail) {
    this(status, detail, List.of());
  }

  /** A 400 about one field. */
  public static ApiException badField(String pointer, String detail) {
    return new ApiException(
        HttpStatus.BAD_REQUEST, detail, List.of(new FieldError(pointer, detail)));
  }

  /** A 400 about the body as a whole. */
  public static ApiException badRequest(String detail) {
    return new ApiException(HttpStatus.BAD_REQUEST, detail, List.of());
  }

  /** Throws what {@code errors} collected as one 400, if anything. */
  public static void throwIfAny(FieldErrors errors) {
    if (!errors.isEmpty()) {
      throw new ApiException(HttpStatus.BAD_REQUEST, errors.summary(), errors.list());
    }
  }

  public HttpStatus status() {
    return status;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
