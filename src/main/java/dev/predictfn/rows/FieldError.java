package dev.predictfn.rows;

import io.micronaut.serde.annotation.Serdeable;

/**
 * One thing wrong with a row or a request body.
 *
 * @param pointer a JSON Pointer in URI fragment form, e.g. {@code #/instances/2/petal_width}
 * @param detail what is wrong with it and what is expected
 */
@Serdeable
public record FieldError(String pointer, String detail) {}
