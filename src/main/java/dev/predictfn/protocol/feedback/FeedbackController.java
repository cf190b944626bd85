package dev.predictfn.protocol.feedback;

import dev.predictfn.http.ApiException;
import dev.predictfn.http.BodyLimits;
import dev.predictfn.http.JsonBodies;
import dev.predictfn.http.ProblemAnswers;
import dev.predictfn.records.PredictionLog;
import dev.predictfn.rows.FieldErrors;
import dev.predictfn.rows.JsonInput;
import dev.predictfn.rows.RowReader;
import dev.predictfn.scoring.Scorer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /feedback}: the true label of earlier predictions, by the {@code prediction_id} they
 * were answered with. Each label is checked against the serving model's card and written as a
 * feedback record beside the prediction records, where the BigQuery view and the {@code evaluate}
 * mode join the two into online accuracy. An id this service never recorded is accepted: it may
 * belong to an unsampled row or another revision, and simply does not join.
 */
@Controller
public final class FeedbackController {
  /** The route. */
  public static final String PATH = "/feedback";

  static final String ONE =
      "{\"prediction_id\":\"0193a5f2-8e41-7c3a-9d2e-5b7f0c1a2b3c\",\"label\":\"setosa\"}";
  static final String MANY =
      "{\"feedback\":[{\"prediction_id\":\"0193a5f2-8e41-7c3a-9d2e-5b7f0c1a2b3c\",\"label\":\"setosa\"},"
          + "{\"prediction_id\":\"0193a5f2-8e41-7c3a-9d2e-5b7f0c1a2b3d\",\"label\":\"virginica\"}]}";

  private static final String ID = "prediction_id";
  private static final String LABEL = "label";
  private static final String FEEDBACK = "feedback";

  private final Scorer scorer;
  private final JsonBodies json;
  private final BodyLimits bodyLimits;
  private final PredictionLog log;

  public FeedbackController(
      Scorer scorer, JsonBodies json, BodyLimits bodyLimits, PredictionLog log) {
    this.scorer = scorer;
    this.json = json;
    this.bodyLimits = bodyLimits;
    this.log = log;
  }

  private record Item(String predictionId, String label) {}

  /**
   * The answer to feedback.
   *
   * @param accepted how many labels were recorded
   */
  @Serdeable
  public record Accepted(int accepted) {}

  /** Records one label, or many under {@code feedback}. */
  @Post(uri = PATH, consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Send the true label of earlier predictions",
      description =
          "Takes {prediction_id, label} or {feedback: [...]} with up to MAX_BATCH_SIZE items;"
              + " labels must be the model card's. Ids this service never recorded are accepted"
              + " and do not join.")
  @ApiResponse(
      responseCode = "202",
      description = "Recorded",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = Accepted.class)))
  @ProblemAnswers
  public HttpResponse<Accepted> feedback(
      HttpRequest<?> http,
      @Body
          @Nullable
          @RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      examples = {
                        @ExampleObject(name = "one label", value = ONE),
                        @ExampleObject(name = "many", value = MANY)
                      }))
          byte[] body) {
    List<String> labels = scorer.predictor().card().labels();
    JsonNode root =
        json.readObject(http, body, ONE, "\"prediction_id\" and \"label\", or \"feedback\": [...]");
    List<Item> items = root.get(FEEDBACK) != null ? many(root, labels) : List.of(one(root, labels));
    for (Item item : items) {
      log.feedback(item.predictionId(), item.label());
    }
    return HttpResponse.status(HttpStatus.ACCEPTED).body(new Accepted(items.size()));
  }

  private Item one(JsonNode root, List<String> labels) {
    FieldErrors errors = new FieldErrors();
    Item item = item(root, "#", labels, errors);
    ApiException.throwIfAny(errors);
    return item;
  }

  private List<Item> many(JsonNode root, List<String> labels) {
    for (Map.Entry<String, JsonNode> field : root.entries()) {
      if (!field.getKey().equals(FEEDBACK)) {
        throw ApiException.badField(
            "#/" + RowReader.escape(field.getKey()),
            "Unknown field \""
                + field.getKey()
                + "\" beside \"feedback\"; send {\"feedback\": [{\"prediction_id\": ...,"
                + " \"label\": ...}, ...]}.");
      }
    }
    JsonNode list = root.get(FEEDBACK);
    if (!list.isArray() || list.size() == 0) {
      throw ApiException.badField(
          "#/feedback",
          "\"feedback\" must be a non-empty array of {\"prediction_id\", \"label\"} objects, but"
              + " it is "
              + (list.isArray() ? "empty" : JsonInput.kind(list))
              + ".");
    }
    bodyLimits.requireBatch(list.size(), "\"feedback\"", "#/feedback", "items");
    FieldErrors errors = new FieldErrors();
    List<Item> items = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      items.add(item(list.get(i), "#/feedback/" + i, labels, errors));
    }
    ApiException.throwIfAny(errors);
    return items;
  }

  private static Item item(JsonNode node, String pointer, List<String> labels, FieldErrors errors) {
    if (!node.isObject()) {
      errors.add(
          pointer,
          "A feedback item must be an object {\"prediction_id\": ..., \"label\": ...}, but it is "
              + JsonInput.kind(node)
              + ".");
      return null;
    }
    for (Map.Entry<String, JsonNode> field : node.entries()) {
      if (!field.getKey().equals(ID) && !field.getKey().equals(LABEL)) {
        errors.add(
            pointer + "/" + RowReader.escape(field.getKey()),
            "Unknown field \""
                + field.getKey()
                + "\"; feedback carries \"prediction_id\" and \"label\".");
      }
    }
    JsonNode id = node.get(ID);
    if (id == null || !id.isString() || !PredictionLog.isId(id.getStringValue())) {
      errors.add(
          pointer + "/" + ID,
          "\"prediction_id\" must be the id a prediction was answered with, a UUID such as"
              + " \"0193a5f2-8e41-7c3a-9d2e-5b7f0c1a2b3c\", but it is "
              + (id == null
                  ? "missing"
                  : id.isString() ? quoted(id.getStringValue()) : JsonInput.kind(id))
              + ".");
    }
    JsonNode label = node.get(LABEL);
    if (label == null || !label.isString() || !labels.contains(label.getStringValue())) {
      errors.add(
          pointer + "/" + LABEL,
          "\"label\" must be one of the model's labels "
              + labels
              + ", but it is "
              + (label == null
                  ? "missing"
                  : label.isString() ? quoted(label.getStringValue()) : JsonInput.kind(label))
              + ".");
    }
    if (id == null || label == null || !id.isString() || !label.isString()) {
      return null;
    }
    return new Item(id.getStringValue(), label.getStringValue());
  }

  /** A caller's string in a message: quoted, and cut short, as problems echo what was sent. */
  private static String quoted(String value) {
    return "\"" + (value.length() > 64 ? value.substring(0, 64) + "..." : value) + "\"";
  }
}
