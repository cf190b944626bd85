package dev.predictfn.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.predictfn.rows.FieldError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.openapi.annotation.OpenAPIExtraSchema;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * An RFC 9457 problem detail: the error body of every route whose protocol declares no other {@link
 * ErrorShape}.
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
@OpenAPIExtraSchema // the error responses of src/main/openapi/errors.yml refer to it
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    @Nullable String instance,
    @Nullable List<FieldError> errors) {
  /** The RFC 9457 media type. */
  public static final String MEDIA_TYPE = "application/problem+json";
}
