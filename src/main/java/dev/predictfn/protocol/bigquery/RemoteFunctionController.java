package dev.predictfn.protocol.bigquery;

import dev.predictfn.http.JsonBody;
import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.Predictor;
import dev.predictfn.records.Protocol;
import dev.predictfn.scoring.Scorer;
import dev.predictfn.scoring.ScoringException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /bigquery}: BigQuery's remote-function contract, so that {@code SELECT
 * dataset.predict(sepal_length, ...) FROM table} scores a whole table, BigQuery splitting the rows
 * into batches and Cloud Run scaling instances. One reply per call, in order; errors as {@code
 * {"errorMessage"}} with 400 or 413 for what the query must change (BigQuery fails it at once) and
 * 503 while no verified model is loaded (BigQuery retries). Scoring has no side effect but the
 * metrics, so BigQuery may send a request again after a success and gets the same replies.
 */
@Controller
public final class RemoteFunctionController {
  private final Scorer scorer;
  private final RemoteCallsDecoder decoder;
  private final BigQueryConfiguration limits;

  RemoteFunctionController(
      Scorer scorer, RemoteCallsDecoder decoder, BigQueryConfiguration limits) {
    this.scorer = scorer;
    this.decoder = decoder;
    this.limits = limits;
  }

  /** Scores one batch of remote-function calls. */
  @Post(
      uri = BigQueryConfiguration.PATH,
      consumes = MediaType.APPLICATION_JSON,
      produces = MediaType.APPLICATION_JSON)
  @Operation(
      summary = "BigQuery remote function",
      description =
          "The endpoint of a BigQuery remote function (CREATE FUNCTION ... REMOTE WITH CONNECTION):"
              + " calls holds each row's arguments in the model card's feature order;"
              + " user_defined_context chooses the reply (return: label, probability with class,"
              + " or json; on_null: error or null).")
  @ApiResponse(
      responseCode = "200",
      description = "One reply per call, in order",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = RemoteFunctionSchemas.Replies.class)))
  @ApiResponse(
      responseCode = "400",
      description = "A call BigQuery must not retry: errorMessage says what to change",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = RemoteFunctionSchemas.Error.class)))
  @ApiResponse(
      responseCode = "413",
      description = "Over BIGQUERY_MAX_CALLS calls or BIGQUERY_MAX_BODY_BYTES bytes",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = RemoteFunctionSchemas.Error.class)))
  @ApiResponse(
      responseCode = "503",
      description = "No verified model is loaded yet; BigQuery retries",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = RemoteFunctionSchemas.Error.class)))
  public HttpResponse<byte[]> call(
      HttpRequest<?> http,
      @Body
          @Nullable
          @RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      schema = @Schema(implementation = RemoteFunctionSchemas.Request.class),
                      examples =
                          @ExampleObject(name = "two rows", value = RemoteFunctionSchemas.EXAMPLE)))
          byte[] body) {
    long length = JsonBody.length(body, http.getContentLength());
    if (length > limits.maxBodyBytes()) {
      throw new RemoteFunctionException(
          HttpStatus.REQUEST_ENTITY_TOO_LARGE,
          "The request body is "
              + length
              + " bytes; the limit is "
              + limits.maxBodyBytes()
              + " bytes (BIGQUERY_MAX_BODY_BYTES). Lower max_batching_rows in the function's"
              + " OPTIONS (cloudrun/bigquery-function.sh --max-batching-rows).");
    }
    if (JsonBody.isBlank(body)) {
      throw RemoteFunctionException.badRequest(
          "The request body is empty; BigQuery sends a JSON object with calls.");
    }
    Predictor predictor;
    try {
      predictor = scorer.predictor();
    } catch (ScoringException e) {
      throw new RemoteFunctionException(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }
    RemoteCalls calls = decoder.decode(body, predictor.schema());
    ReplyFormat format = ReplyFormat.of(calls.context(), predictor.card().labels());
    if (calls.firstNull() != null && !format.nullForNullRows()) {
      throw RemoteFunctionException.badRequest(
          calls.firstNull()
              + " is NULL, and the model needs every feature. Filter or COALESCE NULLs in the"
              + " query, or create the function with user_defined_context"
              + " [(\"on_null\", \"null\")] to answer NULL for such rows.");
    }
    List<double[]> scored = new ArrayList<>(calls.rows().size());
    List<Integer> callOf = new ArrayList<>(calls.rows().size());
    for (int i = 0; i < calls.rows().size(); i++) {
      if (calls.rows().get(i) != null) {
        scored.add(calls.rows().get(i));
        callOf.add(i);
      }
    }
    List<PredictionResult> results;
    try {
      results =
          scored.isEmpty() ? List.of() : scorer.score(predictor, scored, false, Protocol.BIGQUERY);
    } catch (ScoringException e) {
      if (e.reason() == ScoringException.Reason.MODEL_UNAVAILABLE) {
        throw new RemoteFunctionException(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
      }
      String where = e.row() >= 0 ? "calls[" + callOf.get(e.row()) + "]: " : "";
      throw RemoteFunctionException.badRequest(where + e.getMessage());
    }
    return HttpResponse.ok(
            RepliesEncoder.encode(calls.rows(), results, format, predictor.version()))
        .contentType(MediaType.APPLICATION_JSON_TYPE);
  }
}
