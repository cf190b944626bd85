package dev.predictfn.protocol.bigquery;

import io.micronaut.http.MediaType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The OpenAPI operation of {@code POST /bigquery}: the remote-function contract. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Operation(
    summary = "BigQuery remote function",
    description =
        "The endpoint of a BigQuery remote function (CREATE FUNCTION ... REMOTE WITH CONNECTION):"
            + " calls holds each row's arguments in the model card's feature order;"
            + " user_defined_context chooses the reply (return: label, probability with class,"
            + " or json; on_null: error or null).",
    requestBody =
        @RequestBody(
            required = true,
            content =
                @Content(
                    mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RemoteFunctionSchemas.Request.class),
                    examples =
                        @ExampleObject(name = "two rows", value = RemoteFunctionSchemas.EXAMPLE))))
@ApiResponse(
    responseCode = "200",
    description = "One reply per call, in order",
    content =
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RemoteFunctionSchemas.Replies.class)))
@ApiResponse(responseCode = "400", ref = "#/components/responses/BigQueryBadRequest")
@ApiResponse(responseCode = "413", ref = "#/components/responses/BigQueryTooLarge")
@ApiResponse(responseCode = "503", ref = "#/components/responses/BigQueryUnavailable")
@interface RemoteFunctionOperation {}
