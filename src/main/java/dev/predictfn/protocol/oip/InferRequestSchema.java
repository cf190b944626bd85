package dev.predictfn.protocol.oip;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The shape of an OIP {@code infer} body, for the OpenAPI document only (requests are decoded by
 * {@link InferRequestDecoder}).
 *
 * @param id echoed in the response
 * @param inputs one [N, F] tensor, or one [N] / [N, 1] tensor per feature
 * @param outputs the outputs wanted: label, probabilities (default both)
 */
@Schema(name = "InferRequest", description = "Open Inference Protocol v2 inference request.")
public record InferRequestSchema(
    @Nullable String id, List<Tensor> inputs, @Nullable List<RequestedOutput> outputs) {

  /** Example body shown in the OpenAPI document; a test sends it. */
  static final String EXAMPLE =
      "{\"id\":\"42\",\"inputs\":[{\"name\":\"input\",\"shape\":[2,4],\"datatype\":\"FP32\","
          + "\"data\":[5.1,3.5,1.4,0.2,6.7,3.0,5.2,2.3]}]}";

  /**
   * An input tensor.
   *
   * @param name {@code input}, or a feature name for per-feature tensors
   * @param shape [N, F], or [N] / [N, 1] per feature
   * @param datatype FP32 or FP64
   * @param data numbers, flat row-major or nested
   */
  @Schema(name = "InferInputTensor")
  public record Tensor(String name, List<Long> shape, String datatype, List<Object> data) {}

  /**
   * An output the caller wants.
   *
   * @param name label or probabilities
   */
  @Schema(name = "InferRequestedOutput")
  public record RequestedOutput(String name) {}
}
