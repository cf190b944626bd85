package dev.predictfn.protocol.oip;

import io.micronaut.core.annotation.Nullable;
import java.util.List;
import java.util.Set;

/**
 * A validated OIP inference request.
 *
 * @param id the caller's request id, echoed in the response
 * @param rows feature rows in the model's feature order
 * @param outputs the outputs to return, in the order asked for
 */
record InferRequest(@Nullable String id, List<double[]> rows, List<Output> outputs) {
  static final String LABEL = "label";
  static final String PROBABILITIES = "probabilities";
  static final List<String> ALL_OUTPUTS = List.of(LABEL, PROBABILITIES);
  static final Set<String> PROTOCOL_TYPES =
      Set.of(
          "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16",
          "FP32", "FP64", "BYTES");

  /**
   * One requested output.
   *
   * @param name {@value #LABEL} or {@value #PROBABILITIES}
   * @param binary whether it is returned as binary data (the binary tensor data extension)
   */
  record Output(String name, boolean binary) {}
}
