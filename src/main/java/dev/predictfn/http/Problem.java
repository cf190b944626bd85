package dev.predictfn.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * An RFC 9457 problem detail: the body of every error response.
 *
 * @param type {@code about:blank}: the HTTP status says what kind of problem it is
 * @param title the status' reason phrase
 * @param status the HTTP status code
 * @param detail what went wrong and what the caller should change
 * @param instance the request path
 * @param errors one entry per offending field, when the request body was at fault
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    @Nullable String instance,
    @Nullable List<FieldError> errors) {

  /**
   * One offending field of a request body.
   *
   * @param pointer a JSON Pointer in URI fragment form, e.g. {@code #/instances/2/petal_width}
   * @param detail what is wrong with it and what is expected
   */
  @Serdeable
  public record FieldError(String pointer, String detail) {}
}
