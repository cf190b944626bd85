package dev.predictfn.protocol.bigquery;

import dev.predictfn.http.RouteBodyLimit;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Limits of the BigQuery remote-function route ({@code predict.bigquery.*}). BigQuery decides how
 * many rows one request carries, up to the function's {@code max_batching_rows}; a request over a
 * limit fails the query at once (413) with a message that says to lower it.
 *
 * @param maxCalls most calls (rows) one request may carry
 * @param maxBodyBytes largest request body, in bytes; the server-wide request limit follows it
 */
@Context // validated at start-up: a bad limit stops the process before it takes traffic
@ConfigurationProperties("predict.bigquery")
public record BigQueryConfiguration(
    @Min(1) @Max(1_000_000) int maxCalls, @Min(1024) @Max(32L * 1024 * 1024) long maxBodyBytes)
    implements RouteBodyLimit {

  /** The route's path. */
  public static final String PATH = "/bigquery";

  @Override
  public String pathPrefix() {
    return PATH;
  }
}
