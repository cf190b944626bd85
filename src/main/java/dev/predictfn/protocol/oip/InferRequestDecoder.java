package dev.predictfn.protocol.oip;

import dev.predictfn.http.ApiException;
import dev.predictfn.http.BodyLimits;
import dev.predictfn.rows.JsonInput;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns an OIP {@code infer} body into feature rows, following the protocol's schema (not its
 * examples, whose shapes and data disagree). Two input layouts are accepted:
 *
 * <ul>
 *   <li>one FP32 or FP64 tensor of shape {@code [N, F]}, data flat row-major or nested;
 *   <li>one tensor per feature, named as the model card's features, each of shape {@code [N]} or
 *       {@code [N, 1]}.
 * </ul>
 *
 * Elements may be FP32, FP64 or any integer type ({@link TensorType}), in JSON {@code data} or as
 * binary data after the JSON (the binary tensor data extension: the request's {@code
 * Inference-Header-Content-Length} says where the JSON ends, each binary input's {@code
 * binary_data_size} how many bytes it takes, in input order). Outputs are returned as binary data
 * when asked ({@code binary_data} on an output, {@code binary_data_output} on the request).
 *
 * <p>Every problem is an {@link ApiException} naming the input and what is wrong: status 400, or
 * 413 for a body over the size limit ({@link BodyLimits}); the protocol's {@link OipErrorShape}
 * answers it.
 */
@Singleton
public final class InferRequestDecoder {
  private final JsonMapper mapper;
  private final BodyLimits bodyLimits;

  InferRequestDecoder(JsonMapper mapper, BodyLimits bodyLimits) {
    this.mapper = mapper;
    this.bodyLimits = bodyLimits;
  }

  /**
   * Decodes {@code body} for a model with {@code features}.
   *
   * @param jsonLength the {@code Inference-Header-Content-Length}: the JSON's length when binary
   *     data follows it, or -1 when the whole body is JSON
   */
  InferRequest decode(
      HttpRequest<?> http, @Nullable byte[] body, List<String> features, long jsonLength) {
    body = bodyLimits.require(http, body, "an inference request with \"inputs\"");
    byte[] json = body;
    ByteBuffer binary = null;
    if (jsonLength >= 0) {
      if (jsonLength > body.length) {
        throw ApiException.badRequest(
            "Inference-Header-Content-Length is "
                + jsonLength
                + " but the body has only "
                + body.length
                + " bytes");
      }
      json = Arrays.copyOf(body, (int) jsonLength);
      binary =
          ByteBuffer.wrap(body, (int) jsonLength, body.length - (int) jsonLength)
              .slice()
              .order(ByteOrder.LITTLE_ENDIAN);
    }
    JsonNode root;
    try {
      root = JsonInput.parse(mapper, json);
    } catch (JsonInput.MalformedJsonException e) {
      throw ApiException.badRequest("request body is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw ApiException.badRequest(
          "request body must be a JSON object with \"inputs\", but it is " + JsonInput.kind(root));
    }
    String id = null;
    JsonNode idNode = root.get("id");
    if (idNode != null) {
      if (!idNode.isString()) {
        throw ApiException.badRequest(
            "\"id\" must be a string, but it is " + JsonInput.kind(idNode));
      }
      id = idNode.getStringValue();
    }
    JsonNode inputs = root.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.size() == 0) {
      throw ApiException.badRequest(
          "\"inputs\" must be a non-empty array of tensors, but it is " + JsonInput.kind(inputs));
    }
    List<InputTensor> tensors = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      tensors.add(InputTensor.of(inputs.get(i), i, binary));
    }
    if (binary != null && binary.hasRemaining()) {
      throw ApiException.badRequest(
          binary.remaining()
              + " bytes of binary data follow the inputs' binary_data_size; send exactly the"
              + " inputs' bytes after the JSON");
    }
    List<double[]> rows =
        tensors.size() == 1 && tensors.get(0).shape().length == 2 && features.size() > 1
            ? matrix(tensors.get(0), features)
            : perFeature(tensors, features);
    if (rows.isEmpty()) {
      throw ApiException.badRequest("the batch dimension is 0; send at least one row");
    }
    bodyLimits.requireBatch(rows.size(), "The batch", "#/inputs", "rows");
    return new InferRequest(id, rows, outputs(root.get("outputs"), binaryOutput(root)));
  }

  private static List<double[]> matrix(InputTensor tensor, List<String> features) {
    long rows = tensor.shape()[0];
    long columns = tensor.shape()[1];
    if (columns != features.size()) {
      throw ApiException.badRequest(
          "input \""
              + tensor.name()
              + "\" has shape "
              + tensor.shapeText()
              + " but the model takes "
              + features.size()
              + " features per row "
              + features
              + ": use shape [N, "
              + features.size()
              + "]");
    }
    double[] data = tensor.values(rows * columns);
    List<double[]> result = new ArrayList<>((int) rows);
    for (int r = 0; r < rows; r++) {
      double[] row = new double[features.size()];
      System.arraycopy(data, (int) (r * columns), row, 0, row.length);
      result.add(row);
    }
    return result;
  }

  private static List<double[]> perFeature(List<InputTensor> tensors, List<String> features) {
    Map<String, InputTensor> byName = new LinkedHashMap<>();
    for (InputTensor tensor : tensors) {
      if (!features.contains(tensor.name())) {
        throw ApiException.badRequest(
            "unknown input \""
                + tensor.name()
                + "\": send one input of shape [N, "
                + features.size()
                + "] or one input per feature named "
                + features);
      }
      if (byName.put(tensor.name(), tensor) != null) {
        throw ApiException.badRequest("input \"" + tensor.name() + "\" is given twice");
      }
    }
    if (byName.size() != features.size()) {
      TreeSet<String> missing = new TreeSet<>(features);
      missing.removeAll(byName.keySet());
      throw ApiException.badRequest("missing inputs " + missing + " (one input per feature)");
    }
    long n = -1;
    Map<String, double[]> columns = new HashMap<>();
    for (InputTensor tensor : byName.values()) {
      long[] shape = tensor.shape();
      boolean column = shape.length == 1 || (shape.length == 2 && shape[1] == 1);
      if (!column) {
        throw ApiException.badRequest(
            "input \""
                + tensor.name()
                + "\" has shape "
                + tensor.shapeText()
                + "; a per-feature input has shape [N] or [N, 1]");
      }
      if (n >= 0 && shape[0] != n) {
        throw ApiException.badRequest(
            "input \"" + tensor.name() + "\" has " + shape[0] + " rows but other inputs have " + n);
      }
      n = shape[0];
      columns.put(tensor.name(), tensor.values(n));
    }
    List<double[]> rows = new ArrayList<>((int) n);
    for (int r = 0; r < n; r++) {
      double[] row = new double[features.size()];
      for (int f = 0; f < row.length; f++) {
        row[f] = columns.get(features.get(f))[r];
      }
      rows.add(row);
    }
    return rows;
  }

  /** The request's {@code parameters.binary_data_output}: every output as binary data. */
  private static boolean binaryOutput(JsonNode root) {
    JsonNode parameters = root.get("parameters");
    JsonNode flag =
        parameters != null && parameters.isObject() ? parameters.get("binary_data_output") : null;
    return flag != null && flag.isBoolean() && flag.getBooleanValue();
  }

  private static List<InferRequest.Output> outputs(@Nullable JsonNode outputs, boolean binary) {
    if (outputs == null) {
      List<InferRequest.Output> all = new ArrayList<>();
      for (String name : InferRequest.ALL_OUTPUTS) {
        all.add(new InferRequest.Output(name, binary));
      }
      return all;
    }
    if (!outputs.isArray() || outputs.size() == 0) {
      throw ApiException.badRequest(
          "\"outputs\" must be a non-empty array of {\"name\": ...}, but it is "
              + JsonInput.kind(outputs));
    }
    List<String> names = new ArrayList<>();
    List<InferRequest.Output> requested = new ArrayList<>();
    for (int i = 0; i < outputs.size(); i++) {
      JsonNode name = outputs.get(i).isObject() ? outputs.get(i).get("name") : null;
      if (name == null || !name.isString()) {
        throw ApiException.badRequest(
            "outputs[" + i + "] must be an object with a string \"name\"");
      }
      if (!InferRequest.ALL_OUTPUTS.contains(name.getStringValue())) {
        throw ApiException.badRequest(
            "unknown output \""
                + name.getStringValue()
                + "\"; this model has outputs "
                + InferRequest.ALL_OUTPUTS);
      }
      if (!names.contains(name.getStringValue())) {
        names.add(name.getStringValue());
        JsonNode parameters = outputs.get(i).get("parameters");
        JsonNode flag =
            parameters != null && parameters.isObject() ? parameters.get("binary_data") : null;
        requested.add(
            new InferRequest.Output(
                name.getStringValue(),
                binary || (flag != null && flag.isBoolean() && flag.getBooleanValue())));
      }
    }
    return requested;
  }
}
