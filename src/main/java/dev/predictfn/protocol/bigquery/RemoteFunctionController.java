package dev.predictfn.protocol.bigquery;

import dev.predictfn.model.Predictor;
import dev.predictfn.model.ScoredRows;
import dev.predictfn.records.Protocol;
import dev.predictfn.scoring.Scorer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import java.util.List;

/**
 * {@code POST /bigquery}: BigQuery's remote-function contract, so that {@code SELECT
 * dataset.predict(sepal_length, ...) FROM table} scores a whole table, BigQuery splitting the rows
 * into batches and Cloud Run scaling instances. One reply per call, in order; errors in {@link
 * RemoteFunctionErrorShape}: 400 or 413 for what the query must change (BigQuery fails it at once)
 * and 503 while no verified model is loaded (BigQuery retries). Scoring has no side effect but the
 * metrics, so BigQuery may send a request again after a success and gets the same replies.
 */
@Controller
public final class RemoteFunctionController {
  private final Scorer scorer;
  private final RemoteCallsDecoder decoder;

  RemoteFunctionController(Scorer scorer, RemoteCallsDecoder decoder) {
    this.scorer = scorer;
    this.decoder = decoder;
  }

  /** Scores one batch of remote-function calls. */
  @Post(
      uri = BigQueryConfiguration.PATH,
      consumes = MediaType.APPLICATION_JSON,
      produces = MediaType.APPLICATION_JSON)
  @RemoteFunctionOperation
  public HttpResponse<byte[]> call(HttpRequest<?> http, @Body @Nullable byte[] body) {
    Predictor predictor = scorer.predictor();
    RemoteCalls calls = decoder.decode(http, body, predictor.schema());
    ReplyFormat format = ReplyFormat.of(calls.context(), predictor.card().labels());
    List<double[]> rows = calls.toScore(format);
    ScoredRows scored = scorer.scoreRows(predictor, rows, Protocol.BIGQUERY, calls::callOf);
    return HttpResponse.ok(RepliesEncoder.encode(calls.rows(), scored, format, predictor.version()))
        .contentType(MediaType.APPLICATION_JSON_TYPE);
  }
}
