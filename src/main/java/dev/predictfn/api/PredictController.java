package dev.predictfn.api;

import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.Predictor;
import dev.predictfn.model.ServingModel;
import dev.predictfn.monitoring.PredictionMetrics;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import java.util.ArrayList;
import java.util.List;

/** {@code POST /predict}: decode and validate, predict, answer. */
@Controller
public final class PredictController {
  private final ServingModel servingModel;
  private final PredictRequestDecoder decoder;
  private final PredictionMetrics metrics;

  public PredictController(
      ServingModel servingModel, PredictRequestDecoder decoder, PredictionMetrics metrics) {
    this.servingModel = servingModel;
    this.decoder = decoder;
    this.metrics = metrics;
  }

  /**
   * Predicts one row ({@code features}) or a batch ({@code instances}); with {@code
   * ?explain=true} each prediction also carries the exact per-feature contributions to the
   * predicted class' score.
   */
  @Post(
      uri = "/predict",
      consumes = MediaType.APPLICATION_JSON,
      produces = MediaType.APPLICATION_JSON)
  public Object predict(
      HttpRequest<?> http, @Body @Nullable byte[] body, @QueryValue @Nullable String explain) {
    boolean explained = explainFlag(explain);
    Predictor predictor = servingModel.predictor();
    PredictRequest request = decoder.decode(body, http.getContentLength(), predictor.features());
    List<PredictionResult> results =
        explained ? predictor.explainAll(request.rows()) : predictor.predictAll(request.rows());
    metrics.record(results);
    if (!request.batch()) {
      PredictionResult result = results.get(0);
      return new PredictionResponses.Single(
          result.label(), result.probabilities(), result.explanation(), predictor.version());
    }
    List<PredictionResponses.Row> rows = new ArrayList<>(results.size());
    for (PredictionResult result : results) {
      rows.add(
          new PredictionResponses.Row(
              result.label(), result.probabilities(), result.explanation()));
    }
    return new PredictionResponses.Batch(rows, predictor.version());
  }

  private static boolean explainFlag(@Nullable String explain) {
    if (explain == null || explain.equals("false")) {
      return false;
    }
    if (explain.equals("true")) {
      return true;
    }
    throw InvalidRequestException.badBody(
        "Query parameter explain must be true or false, but it is \"" + explain + "\".");
  }
}
