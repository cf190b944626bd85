package dev.predictfn.http;

import dev.predictfn.rows.FieldError;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import java.util.List;

/** The error shape of every route no protocol declares another for: an RFC 9457 problem. */
final class ProblemShape implements ErrorShape {
  /** The RFC 9457 media type. */
  static final MediaType PROBLEM_JSON = MediaType.of(Problem.MEDIA_TYPE);

  @Override
  public String pathPrefix() {
    return "/";
  }

  @Override
  public Problem body(HttpStatus status, String detail, List<FieldError> errors, String path) {
    return new Problem(
        "about:blank",
        status.getReason(),
        status.getCode(),
        detail,
        path,
        errors.isEmpty() ? null : List.copyOf(errors));
  }

  @Override
  public MediaType contentType() {
    return PROBLEM_JSON;
  }

  @Override
  public boolean listsFields() {
    return true;
  }
}
