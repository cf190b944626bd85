package dev.predictfn.protocol.vertex;

import dev.predictfn.http.ApiException;
import dev.predictfn.http.JsonBodies;
import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.Predictor;
import dev.predictfn.protocol.predict.PredictionResponses;
import dev.predictfn.records.Protocol;
import dev.predictfn.rows.JsonInput;
import dev.predictfn.scoring.Scorer;
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

  private final Scorer scorer;
  private final JsonBodies jsonRows;

  public VertexEndpoints(Scorer scorer, JsonBodies jsonRows) {
    this.scorer = scorer;
    this.jsonRows = jsonRows;
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
    Predictor predictor = scorer.predictor();
    JsonNode root =
        jsonRows.readObject(
            http,
            body,
            "{\"instances\": [[...], ...]}",
            "\"instances\" and optionally \"parameters\"");
    for (Map.Entry<String, JsonNode> field : root.entries()) {
      if (!field.getKey().equals(INSTANCES) && !field.getKey().equals(PARAMETERS)) {
        throw ApiException.badField(
            "#/" + field.getKey(),
            "Unknown field \""
                + field.getKey()
                + "\"; Vertex AI requests carry \"instances\" and"
                + " optionally \"parameters\".");
      }
    }
    JsonNode instances = root.get(INSTANCES);
    if (instances == null) {
      throw ApiException.badField(
          "#/instances", "Missing \"instances\": send {\"instances\": [[...], ...]}.");
    }
    boolean explain = explain(root.get(PARAMETERS));
    List<double[]> rows = jsonRows.rows(instances, predictor.schema());
    List<PredictionResult> results =
        scorer.score(predictor, rows, explain, Protocol.VERTEX, i -> "#/instances/" + i);
    return new Predictions(PredictionResponses.Row.of(results));
  }

  /** 200 only while a verified model is loaded, as Vertex requires before it sends traffic. */
  @Executable
  public HttpResponse<Health> health() {
    return scorer.isReady()
        ? HttpResponse.ok(new Health("UP"))
        : HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(new Health("DOWN"));
  }

  private static boolean explain(@Nullable JsonNode parameters) {
    if (parameters == null || parameters.isNull()) {
      return false;
    }
    if (!parameters.isObject()) {
      throw ApiException.badField(
          "#/parameters",
          "\"parameters\" must be an object, but it is " + JsonInput.kind(parameters) + ".");
    }
    boolean explain = false;
    for (Map.Entry<String, JsonNode> parameter : parameters.entries()) {
      if (!parameter.getKey().equals("explain")) {
        throw ApiException.badField(
            "#/parameters/" + parameter.getKey(),
            "Unknown parameter \"" + parameter.getKey() + "\"; the only parameter is \"explain\".");
      }
      if (!parameter.getValue().isBoolean()) {
        throw ApiException.badField(
            "#/parameters/explain",
            "\"explain\" must be true or false, but it is "
                + JsonInput.kind(parameter.getValue())
                + ".");
      }
      explain = parameter.getValue().getBooleanValue();
    }
    return explain;
  }
}
