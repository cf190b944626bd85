package dev.predictfn.protocol.predict;

import io.micronaut.http.MediaType;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The OpenAPI description of the {@code POST /predict} body, with its examples. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@RequestBody(
    required = true,
    content =
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PredictRequestSchema.class),
            examples = {
              @ExampleObject(name = "one row", value = PredictRequestSchema.ONE_ROW),
              @ExampleObject(
                  name = "one row by name",
                  value = PredictRequestSchema.ONE_ROW_BY_NAME),
              @ExampleObject(name = "batch", value = PredictRequestSchema.BATCH)
            }))
@interface PredictBody {}
