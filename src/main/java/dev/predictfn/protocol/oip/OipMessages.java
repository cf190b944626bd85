package dev.predictfn.protocol.oip;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.openapi.annotation.OpenAPIExtraSchema;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * The JSON bodies of the Open Inference Protocol (KServe "V2") REST API, as its schema defines
 * them.
 */
public final class OipMessages {
  private OipMessages() {}

  /**
   * {@code GET /v2}.
   *
   * @param name the server name
   * @param version the server version
   * @param extensions protocol extensions supported (none, but the field is required)
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ServerMetadata(String name, String version, List<String> extensions) {}

  /**
   * {@code GET /v2/health/live} and {@code /v2/health/ready}.
   *
   * @param live whether the server is live (only on the live endpoint)
   * @param ready whether the server is ready (only on the ready endpoint)
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Health(@Nullable Boolean live, @Nullable Boolean ready) {}

  /**
   * {@code GET /v2/models/{name}/ready}.
   *
   * @param name the model name
   * @param ready whether the model can serve inference
   */
  @Serdeable
  public record ModelReady(String name, boolean ready) {}

  /**
   * A tensor's description in model metadata.
   *
   * @param name the tensor name
   * @param datatype the element type, e.g. {@code FP32}
   * @param shape the shape, -1 for the batch dimension
   */
  @Serdeable
  public record TensorMetadata(String name, String datatype, List<Long> shape) {}

  /**
   * {@code GET /v2/models/{name}}.
   *
   * @param name the model name
   * @param versions the versions available (the one serving)
   * @param platform the framework, {@code tribuo}
   * @param inputs the input tensors
   * @param outputs the output tensors
   */
  @Serdeable
  public record ModelMetadata(
      String name,
      List<String> versions,
      String platform,
      List<TensorMetadata> inputs,
      List<TensorMetadata> outputs) {}

  /**
   * One output tensor of an inference response.
   *
   * @param name {@code label} or {@code probabilities}
   * @param datatype {@code BYTES} or {@code FP32}
   * @param shape {@code [N]} or {@code [N, C]}
   * @param data the elements, row-major; absent when they follow as binary data
   * @param parameters for {@code probabilities}: the label of each column; {@code binary_data_size}
   *     for an output returned as binary data
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record OutputTensor(
      String name,
      String datatype,
      List<Long> shape,
      @Nullable List<?> data,
      @Nullable Map<String, Object> parameters) {}

  /**
   * {@code POST /v2/models/{name}/infer}.
   *
   * @param modelName the model that answered
   * @param modelVersion its version
   * @param id the request's id, echoed
   * @param parameters {@code prediction_ids}: each row's prediction id, in row order, for {@code
   *     POST /feedback}
   * @param outputs the requested outputs
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record InferResponse(
      @JsonProperty("model_name") String modelName,
      @JsonProperty("model_version") String modelVersion,
      @Nullable String id,
      @Nullable Map<String, Object> parameters,
      List<OutputTensor> outputs) {}

  /**
   * Every OIP error: a status code and this body.
   *
   * @param error what is wrong
   */
  @Serdeable
  @OpenAPIExtraSchema // src/main/openapi/errors.yml refers to it
  public record Error(String error) {}
}
