package dev.predictfn.protocol.predict;

import io.micronaut.http.MediaType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The OpenAPI operation of {@code POST /predict} (its errors: {@code http.ProblemAnswers}). */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Operation(
    summary = "Predict one row or a batch",
    description =
        "Answers prediction, probabilities (summing to 1), model_version and the"
            + " prediction_id that POST /feedback takes; a batch answers predictions in"
            + " request order, each with its prediction_id.")
@ApiResponse(
    responseCode = "200",
    description = "Predictions",
    content =
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema =
                @Schema(
                    oneOf = {PredictionResponses.Single.class, PredictionResponses.Batch.class})))
@interface PredictOperation {}
