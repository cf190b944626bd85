package dev.predictfn.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.util.List;

/** Builds {@code application/problem+json} responses; every error path goes through here. */
public final class ProblemResponses {
  /** The RFC 9457 media type. */
  public static final String PROBLEM_JSON = "application/problem+json";

  private static final MediaType PROBLEM_JSON_TYPE = MediaType.of(PROBLEM_JSON);

  private ProblemResponses() {}

  /** A problem response for {@code status}. */
  public static MutableHttpResponse<Problem> of(
      HttpStatus status,
      String detail,
      @Nullable HttpRequest<?> request,
      @Nullable List<Problem.FieldError> errors) {
    return of(status, detail, request, errors, HttpResponse.status(status));
  }

  /**
   * Fills {@code response} (which may already carry headers, e.g. {@code Allow}) with a problem.
   */
  public static MutableHttpResponse<Problem> of(
      HttpStatus status,
      String detail,
      @Nullable HttpRequest<?> request,
      @Nullable List<Problem.FieldError> errors,
      MutableHttpResponse<?> response) {
    Problem problem =
        new Problem(
            "about:blank",
            status.getReason(),
            status.getCode(),
            detail,
            request == null ? null : request.getPath(),
            errors == null || errors.isEmpty() ? null : List.copyOf(errors));
    return response.status(status).body(problem).contentType(PROBLEM_JSON_TYPE);
  }
}
