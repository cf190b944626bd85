package dev.predictfn.protocol.oip;

import io.micronaut.http.MediaType;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The OpenAPI responses of both infer routes (with and without a version), written once. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ApiResponse(
    responseCode = "200",
    description = "Outputs label (BYTES [N]) and probabilities (FP32 [N, C])",
    content =
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = OipMessages.InferResponse.class)))
@ApiResponse(responseCode = "400", ref = "#/components/responses/OipBadRequest")
@ApiResponse(responseCode = "404", ref = "#/components/responses/OipNotFound")
@interface InferOperation {}
