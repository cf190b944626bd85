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

  /** Predicts one row ({@code features}) or a batch ({@code instances}). */
  @Post(
      uri = "/predict",
      consumes = MediaType.APPLICATION_JSON,
      produces = MediaType.APPLICATION_JSON)
  public Object predict(HttpRequest<?> http, @Body @Nullable byte[] body) {
    Predictor predictor = servingModel.predictor();
    PredictRequest request = decoder.decode(body, http.getContentLength(), predictor.features());
    List<PredictionResult> results = predictor.predictAll(request.rows());
    metrics.record(results);
    if (!request.batch()) {
      PredictionResult result = results.get(0);
      return new PredictionResponses.Single(
          result.label(), result.probabilities(), predictor.version());
    }
    List<PredictionResponses.Row> rows = new ArrayList<>(results.size());
    for (PredictionResult result : results) {
      rows.add(new PredictionResponses.Row(result.label(), result.probabilities()));
    }
    return new PredictionResponses.Batch(rows, predictor.version());
  }
}
