package dev.predictfn.protocol.predict;

import dev.predictfn.http.PredictionResponses;
import dev.predictfn.http.Problem;
import dev.predictfn.http.ProblemException;
import dev.predictfn.http.ProblemResponses;
import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.Predictor;
import dev.predictfn.records.Protocol;
import dev.predictfn.scoring.Scorer;
import dev.predictfn.scoring.ScoringException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;

/** {@code POST /predict}, the service's own protocol: decode and validate, score, answer. */
@Controller
public final class PredictController {
  private final Scorer scorer;
  private final PredictRequestDecoder decoder;

  public PredictController(Scorer scorer, PredictRequestDecoder decoder) {
    this.scorer = scorer;
    this.decoder = decoder;
  }

  /**
   * Predicts one row ({@code features}) or a batch ({@code instances}); with {@code ?explain=true}
   * each prediction also carries the exact per-feature contributions to the predicted class' score.
   */
  @Post(
      uri = "/predict",
      consumes = MediaType.APPLICATION_JSON,
      produces = MediaType.APPLICATION_JSON)
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
  @ApiResponse(
      responseCode = "400",
      description = "The body is not a valid request; detail and errors say what to fix",
      content =
          @Content(
              mediaType = ProblemResponses.PROBLEM_JSON,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "413",
      description = "Over MAX_BATCH_SIZE rows or MAX_BODY_BYTES bytes",
      content =
          @Content(
              mediaType = ProblemResponses.PROBLEM_JSON,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "503",
      description = "No verified model is loaded",
      content =
          @Content(
              mediaType = ProblemResponses.PROBLEM_JSON,
              schema = @Schema(implementation = Problem.class)))
  public Object predict(
      HttpRequest<?> http,
      @Body
          @Nullable
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
          byte[] body,
      @QueryValue
          @Nullable
          @Parameter(
              description = "true adds each prediction's exact per-feature contributions",
              schema = @Schema(type = "boolean", defaultValue = "false"))
          String explain) {
    boolean explained = explainFlag(explain);
    PredictRequest request = null;
    try {
      Predictor predictor = scorer.predictor();
      request = decoder.decode(body, http.getContentLength(), predictor.schema());
      List<PredictionResult> results =
          scorer.score(predictor, request.rows(), explained, Protocol.PREDICT);
      if (!request.batch()) {
        return PredictionResponses.Single.of(results.get(0), predictor.version());
      }
      return new PredictionResponses.Batch(
          PredictionResponses.Row.of(results), predictor.version());
    } catch (ScoringException e) {
      throw ProblemException.of(
          e, request != null && request.batch() ? "#/instances/" : "#/features");
    }
  }

  private static boolean explainFlag(@Nullable String explain) {
    if (explain == null || explain.equals("false")) {
      return false;
    }
    if (explain.equals("true")) {
      return true;
    }
    throw ProblemException.badBody(
        "Query parameter explain must be true or false, but it is \"" + explain + "\".");
  }
}
