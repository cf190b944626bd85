package dev.predictfn.protocol.vertex;

import dev.predictfn.api.InvalidRequestException;
import dev.predictfn.api.JsonBody;
import dev.predictfn.api.PredictRequestDecoder;
import dev.predictfn.api.PredictionResponses;
import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.Predictor;
import dev.predictfn.model.ServingModel;
import dev.predictfn.model.UnscorableRowException;
import dev.predictfn.monitoring.PredictionMetrics;
import io.micronaut.context.annotation.Executable;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * The handlers behind Vertex AI's routes (registered by {@link VertexRoutes}): {@code {"instances":
 * [...], "parameters": {...}}} in, {@code {"predictions": [...]}} out, over the same predictor and
 * validation as {@code /predict}. The only parameter is {@code explain} (boolean).
 */
@Singleton
public class VertexEndpoints {
  private static final String INSTANCES = "instances";
  private static final String PARAMETERS = "parameters";

  private final ServingModel servingModel;
  private final PredictRequestDecoder decoder;
  private final PredictionMetrics metrics;

  public VertexEndpoints(
      ServingModel servingModel, PredictRequestDecoder decoder, PredictionMetrics metrics) {
    this.servingModel = servingModel;
    this.decoder = decoder;
    this.metrics = metrics;
  }

  /**
   * Vertex's prediction response.
   *
   * @param predictions one per instance, in order
   */
  @Serdeable
  public record Predictions(List<PredictionResponses.Row> predictions) {}

  /**
   * Vertex's health response body.
   *
   * @param status {@code UP} or {@code DOWN}
   */
  @Serdeable
  public record Health(String status) {}

  /** Predicts every instance. */
  @Executable
  public Predictions predict(HttpRequest<?> http, @Body @Nullable byte[] body) {
    Predictor predictor = servingModel.predictor();
    JsonNode root =
        decoder.readObject(
            body,
            http.getContentLength(),
            "{\"instances\": [[...], ...]}",
            "\"instances\" and optionally \"parameters\"");
    for (Map.Entry<String, JsonNode> field : root.entries()) {
      if (!field.getKey().equals(INSTANCES) && !field.getKey().equals(PARAMETERS)) {
        throw InvalidRequestException.badField(
            "#/" + field.getKey(),
            "Unknown field \""
                + field.getKey()
                + "\"; Vertex AI requests carry \"instances\" and"
                + " optionally \"parameters\".");
      }
    }
    JsonNode instances = root.get(INSTANCES);
    if (instances == null) {
      throw InvalidRequestException.badField(
          "#/instances", "Missing \"instances\": send {\"instances\": [[...], ...]}.");
    }
    boolean explain = explain(root.get(PARAMETERS));
    List<double[]> rows = decoder.rows(instances, predictor.schema());
    List<PredictionResult> results;
    try {
      results = explain ? predictor.explainAll(rows) : predictor.predictAll(rows);
    } catch (UnscorableRowException e) {
      throw InvalidRequestException.badField("#/instances/" + e.row(), e.getMessage());
    }
    metrics.record(rows, results);
    return new Predictions(PredictionResponses.Row.of(results));
  }

  /** 200 only while a verified model is loaded, as Vertex requires before it sends traffic. */
  @Executable
  public HttpResponse<Health> health() {
    return servingModel.isReady()
        ? HttpResponse.ok(new Health("UP"))
        : HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(new Health("DOWN"));
  }

  private static boolean explain(@Nullable JsonNode parameters) {
    if (parameters == null || parameters.isNull()) {
      return false;
    }
    if (!parameters.isObject()) {
      throw InvalidRequestException.badField(
          "#/parameters",
          "\"parameters\" must be an object, but it is " + JsonBody.kind(parameters) + ".");
    }
    boolean explain = false;
    for (Map.Entry<String, JsonNode> parameter : parameters.entries()) {
      if (!parameter.getKey().equals("explain")) {
        throw InvalidRequestException.badField(
            "#/parameters/" + parameter.getKey(),
            "Unknown parameter \"" + parameter.getKey() + "\"; the only parameter is \"explain\".");
      }
      if (!parameter.getValue().isBoolean()) {
        throw InvalidRequestException.badField(
            "#/parameters/explain",
            "\"explain\" must be true or false, but it is "
                + JsonBody.kind(parameter.getValue())
                + ".");
      }
      explain = parameter.getValue().getBooleanValue();
    }
    return explain;
  }
}
