package dev.predictfn.protocol.predict;

import dev.predictfn.http.ApiException;
import dev.predictfn.http.ProblemAnswers;
import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.Predictor;
import dev.predictfn.records.Protocol;
import dev.predictfn.scoring.Scorer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
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
  @PredictOperation
  @ProblemAnswers
  public Object predict(
      HttpRequest<?> http,
      @Body @Nullable @PredictBody byte[] body,
      @QueryValue
          @Nullable
          @Parameter(
              description = "true adds each prediction's exact per-feature contributions",
              schema = @Schema(type = "boolean", defaultValue = "false"))
          String explain) {
    boolean explained = explainFlag(explain);
    Predictor predictor = scorer.predictor();
    PredictRequest request = decoder.decode(http, body, predictor.schema());
    List<PredictionResult> results =
        scorer.score(
            predictor,
            request.rows(),
            explained,
            Protocol.PREDICT,
            request.batch() ? i -> "#/instances/" + i : i -> "#/features");
    if (!request.batch()) {
      return PredictionResponses.Single.of(results.get(0), predictor.version());
    }
    return new PredictionResponses.Batch(PredictionResponses.Row.of(results), predictor.version());
  }

  private static boolean explainFlag(@Nullable String explain) {
    if (explain == null || explain.equals("false")) {
      return false;
    }
    if (explain.equals("true")) {
      return true;
    }
    throw ApiException.badRequest(
        "Query parameter explain must be true or false, but it is \"" + explain + "\".");
  }
}
