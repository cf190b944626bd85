package dev.predictfn.protocol.bigquery;

import dev.predictfn.http.ErrorShape;
import dev.predictfn.rows.FieldError;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * Errors under {@code /bigquery} as BigQuery reads them: the status (400 and 413 fail the query at
 * once and show the message to its user; 503 is retried) and {@code {"errorMessage"}}, cut to the 1
 * KB BigQuery shows.
 */
@Singleton
final class RemoteFunctionErrorShape implements ErrorShape {
  /** BigQuery shows at most this many characters of an error message ("less than 1KB"). */
  static final int MESSAGE_LIMIT = 1000;

  @Override
  public String pathPrefix() {
    return BigQueryConfiguration.PATH;
  }

  @Override
  public Map<String, String> body(
      HttpStatus status, String detail, List<FieldError> errors, String path) {
    return Map.of(
        "errorMessage",
        detail.length() <= MESSAGE_LIMIT ? detail : detail.substring(0, MESSAGE_LIMIT - 3) + "...");
  }

  @Override
  public String tooLargeAdvice() {
    return "Lower max_batching_rows in the function's OPTIONS"
        + " (cloudrun/bigquery-function.sh --max-batching-rows).";
  }
}
