package dev.predictfn.protocol.bigquery;

import io.micronaut.openapi.annotation.OpenAPIExtraSchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** The remote-function contract's shapes, for the OpenAPI document only. */
final class RemoteFunctionSchemas {
  static final String EXAMPLE =
      "{\"requestId\":\"124ab1c\",\"caller\":\"//bigquery.googleapis.com/projects/p/jobs/p:US.j\","
          + "\"sessionUser\":\"user@example.com\",\"userDefinedContext\":{\"return\":\"label\"},"
          + "\"calls\":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}";

  private RemoteFunctionSchemas() {}

  @Schema(name = "BigQueryRemoteFunctionRequest", description = "What BigQuery sends")
  record Request(
      @Schema(description = "Unique per request of a query; the same when BigQuery resends it")
          String requestId,
      @Schema(description = "The calling query's job") String caller,
      @Schema(description = "Who runs the query") String sessionUser,
      @Schema(description = "The function's user_defined_context: return, class, on_null")
          Map<String, String> userDefinedContext,
      @Schema(description = "One array of arguments per row, in the model card's feature order")
          List<List<Object>> calls) {}

  @Schema(name = "BigQueryRemoteFunctionReplies")
  record Replies(
      @Schema(description = "One reply per call, in order; null for a row with a NULL argument")
          List<Object> replies) {}

  @Schema(name = "BigQueryRemoteFunctionError")
  @OpenAPIExtraSchema // src/main/openapi/errors.yml refers to it
  record Error(
      @Schema(description = "Shown to the query's user; under 1 KB") String errorMessage) {}
}
