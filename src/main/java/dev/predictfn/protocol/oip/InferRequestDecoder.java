package dev.predictfn.protocol.oip;

import dev.predictfn.http.ApiConfiguration;
import dev.predictfn.http.JsonBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
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
 * <p>Every problem is an {@link OipException} naming the input and what is wrong: status 400, or
 * 413 for a body over the size limit.
 */
@Singleton
public final class InferRequestDecoder {
  private final JsonMapper mapper;
  private final ApiConfiguration limits;

  public InferRequestDecoder(JsonMapper mapper, ApiConfiguration limits) {
    this.mapper = mapper;
    this.limits = limits;
  }

  /**
   * Decodes {@code body} for a model with {@code features}.
   *
   * @param jsonLength the {@code Inference-Header-Content-Length}: the JSON's length when binary
   *     data follows it, or -1 when the whole body is JSON
   */
  public InferRequest decode(
      @Nullable byte[] body, long declaredLength, List<String> features, long jsonLength) {
    long length = JsonBody.length(body, declaredLength);
    if (length > limits.maxBodyBytes()) {
      throw new OipException(
          HttpStatus.REQUEST_ENTITY_TOO_LARGE,
          "request body is " + length + " bytes; the limit is " + limits.maxBodyBytes() + " bytes");
    }
    if (JsonBody.isBlank(body)) {
      throw OipException.badRequest(
          "request body is empty; send an inference request with \"inputs\"");
    }
    byte[] json = body;
    ByteBuffer binary = null;
    if (jsonLength >= 0) {
      if (jsonLength > body.length) {
        throw OipException.badRequest(
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
      root = JsonBody.parse(mapper, json);
    } catch (JsonBody.MalformedJsonException e) {
      throw OipException.badRequest("request body is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw OipException.badRequest(
          "request body must be a JSON object with \"inputs\", but it is " + JsonBody.kind(root));
    }
    String id = null;
    JsonNode idNode = root.get("id");
    if (idNode != null) {
      if (!idNode.isString()) {
        throw OipException.badRequest(
            "\"id\" must be a string, but it is " + JsonBody.kind(idNode));
      }
      id = idNode.getStringValue();
    }
    JsonNode inputs = root.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.size() == 0) {
      throw OipException.badRequest(
          "\"inputs\" must be a non-empty array of tensors, but it is " + JsonBody.kind(inputs));
    }
    List<Tensor> tensors = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      tensors.add(Tensor.of(inputs.get(i), i, binary));
    }
    if (binary != null && binary.hasRemaining()) {
      throw OipException.badRequest(
          binary.remaining()
              + " bytes of binary data follow the inputs' binary_data_size; send exactly the"
              + " inputs' bytes after the JSON");
    }
    List<double[]> rows =
        tensors.size() == 1 && tensors.get(0).shape().length == 2 && features.size() > 1
            ? matrix(tensors.get(0), features)
            : perFeature(tensors, features);
    if (rows.isEmpty()) {
      throw OipException.badRequest("the batch dimension is 0; send at least one row");
    }
    if (rows.size() > limits.maxBatchSize()) {
      throw OipException.badRequest(
          "the batch has "
              + rows.size()
              + " rows but at most "
              + limits.maxBatchSize()
              + " are accepted per request; split it");
    }
    return new InferRequest(id, rows, outputs(root.get("outputs"), binaryOutput(root)));
  }

  private static List<double[]> matrix(Tensor tensor, List<String> features) {
    long rows = tensor.shape()[0];
    long columns = tensor.shape()[1];
    if (columns != features.size()) {
      throw OipException.badRequest(
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

  private static List<double[]> perFeature(List<Tensor> tensors, List<String> features) {
    Map<String, Tensor> byName = new LinkedHashMap<>();
    for (Tensor tensor : tensors) {
      if (!features.contains(tensor.name())) {
        throw OipException.badRequest(
            "unknown input \""
                + tensor.name()
                + "\": send one input of shape [N, "
                + features.size()
                + "] or one input per feature named "
                + features);
      }
      if (byName.put(tensor.name(), tensor) != null) {
        throw OipException.badRequest("input \"" + tensor.name() + "\" is given twice");
      }
    }
    if (byName.size() != features.size()) {
      TreeSet<String> missing = new TreeSet<>(features);
      missing.removeAll(byName.keySet());
      throw OipException.badRequest("missing inputs " + missing + " (one input per feature)");
    }
    long n = -1;
    Map<String, double[]> columns = new HashMap<>();
    for (Tensor tensor : byName.values()) {
      long[] shape = tensor.shape();
      boolean column = shape.length == 1 || (shape.length == 2 && shape[1] == 1);
      if (!column) {
        throw OipException.badRequest(
            "input \""
                + tensor.name()
                + "\" has shape "
                + tensor.shapeText()
                + "; a per-feature input has shape [N] or [N, 1]");
      }
      if (n >= 0 && shape[0] != n) {
        throw OipException.badRequest(
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
      throw OipException.badRequest(
          "\"outputs\" must be a non-empty array of {\"name\": ...}, but it is "
              + JsonBody.kind(outputs));
    }
    List<String> names = new ArrayList<>();
    List<InferRequest.Output> requested = new ArrayList<>();
    for (int i = 0; i < outputs.size(); i++) {
      JsonNode name = outputs.get(i).isObject() ? outputs.get(i).get("name") : null;
      if (name == null || !name.isString()) {
        throw OipException.badRequest(
            "outputs[" + i + "] must be an object with a string \"name\"");
      }
      if (!InferRequest.ALL_OUTPUTS.contains(name.getStringValue())) {
        throw OipException.badRequest(
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

  /** One input tensor, checked for the fields every tensor must have. */
  private record Tensor(
      String name,
      TensorType type,
      long[] shape,
      @Nullable JsonNode data,
      @Nullable ByteBuffer bytes) {
    /**
     * The tensor {@code node} describes; a binary one takes its {@code binary_data_size} bytes from
     * {@code binary} (null when the request has no binary data).
     */
    static Tensor of(JsonNode node, int index, @Nullable ByteBuffer binary) {
      String where = "inputs[" + index + "]";
      if (!node.isObject()) {
        throw OipException.badRequest(
            where + " must be a tensor object, but it is " + JsonBody.kind(node));
      }
      JsonNode name = node.get("name");
      if (name == null || !name.isString()) {
        throw OipException.badRequest(where + " needs a string \"name\"");
      }
      where = "input \"" + name.getStringValue() + "\"";
      JsonNode datatype = node.get("datatype");
      if (datatype == null || !datatype.isString()) {
        throw OipException.badRequest(where + " needs a string \"datatype\"");
      }
      String type = datatype.getStringValue();
      if (!InferRequest.PROTOCOL_TYPES.contains(type)) {
        throw OipException.badRequest(
            where
                + " has unknown datatype \""
                + type
                + "\"; this model takes "
                + TensorType.names());
      }
      TensorType tensorType = TensorType.named(type);
      if (tensorType == null) {
        throw OipException.badRequest(
            where
                + " has datatype "
                + type
                + "; this model takes numeric features: "
                + TensorType.names());
      }
      JsonNode shapeNode = node.get("shape");
      if (shapeNode == null || !shapeNode.isArray() || shapeNode.size() == 0) {
        throw OipException.badRequest(where + " needs a \"shape\" array such as [N, F]");
      }
      long[] shape = new long[shapeNode.size()];
      for (int i = 0; i < shape.length; i++) {
        JsonNode dim = shapeNode.get(i);
        if (!dim.isNumber()
            || dim.getDoubleValue() != Math.rint(dim.getDoubleValue())
            || dim.getLongValue() < 0) {
          throw OipException.badRequest(
              where + " has shape element " + i + " that is not a non-negative integer");
        }
        shape[i] = dim.getLongValue();
      }
      JsonNode data = node.get("data");
      JsonNode parameters = node.get("parameters");
      JsonNode size =
          parameters != null && parameters.isObject() ? parameters.get("binary_data_size") : null;
      if (size == null) {
        if (data == null || !data.isArray()) {
          throw OipException.badRequest(where + " needs a \"data\" array");
        }
        return new Tensor(name.getStringValue(), tensorType, shape, data, null);
      }
      if (data != null) {
        throw OipException.badRequest(
            where + " has both \"data\" and binary_data_size; send its elements one way");
      }
      if (!size.isNumber()
          || size.getLongValue() < 0
          || size.getDoubleValue() != Math.rint(size.getDoubleValue())) {
        throw OipException.badRequest(where + " has a binary_data_size that is not a byte count");
      }
      if (binary == null) {
        throw OipException.badRequest(
            where
                + " has binary_data_size but the request has no Inference-Header-Content-Length"
                + " header saying where the JSON ends and the binary data begins");
      }
      long bytes = size.getLongValue();
      if (bytes > binary.remaining()) {
        throw OipException.badRequest(
            where
                + " has binary_data_size "
                + bytes
                + " but only "
                + binary.remaining()
                + " bytes of binary data are left");
      }
      ByteBuffer slice = binary.slice().order(ByteOrder.LITTLE_ENDIAN).limit((int) bytes);
      binary.position(binary.position() + (int) bytes);
      return new Tensor(name.getStringValue(), tensorType, shape, null, slice);
    }

    String shapeText() {
      StringBuilder text = new StringBuilder("[");
      for (int i = 0; i < shape.length; i++) {
        text.append(i == 0 ? "" : ", ").append(shape[i]);
      }
      return text.append("]").toString();
    }

    /** "input X has shape [..] (N {@code detail}": the data does not fit the shape. */
    private OipException mismatch(long expected, String detail) {
      return OipException.badRequest(
          "input \"" + name + "\" has shape " + shapeText() + " (" + expected + " " + detail);
    }

    private OipException badElement(int index, String expected, String actual) {
      return OipException.badRequest(
          "input \""
              + name
              + "\" element "
              + index
              + " must be "
              + expected
              + ", but it is "
              + actual);
    }

    /** The data flattened row-major; its length must be {@code expected}. */
    double[] values(long expected) {
      return bytes != null ? binaryValues(expected) : jsonValues(expected);
    }

    private double[] binaryValues(long expected) {
      if (bytes.remaining() != expected * type.width) {
        throw mismatch(
            expected,
            type
                + " elements, "
                + expected * type.width
                + " bytes) but its binary_data_size is "
                + bytes.remaining());
      }
      double[] values = new double[(int) expected];
      ByteBuffer data = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < values.length; i++) {
        values[i] = type.read(data);
        if (!Double.isFinite(values[i])) {
          throw badElement(i, type.expectation(), Double.toString(values[i]));
        }
      }
      return values;
    }

    private double[] jsonValues(long expected) {
      List<JsonNode> flat = new ArrayList<>();
      flatten(data, flat);
      if (flat.size() != expected) {
        throw mismatch(expected, "elements) but its data has " + flat.size() + " elements");
      }
      double[] values = new double[flat.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = type.fromJson(flat.get(i));
        if (Double.isNaN(values[i])) {
          JsonNode element = flat.get(i);
          throw badElement(
              i,
              type == TensorType.FP32 || type == TensorType.FP64
                  ? "a finite number"
                  : type.expectation(),
              element != null && element.isNumber() && Double.isFinite(element.getDoubleValue())
                  ? Double.toString(element.getDoubleValue())
                  : JsonBody.kind(element));
        }
      }
      return values;
    }

    private static void flatten(JsonNode node, List<JsonNode> into) {
      if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          flatten(node.get(i), into);
        }
      } else {
        into.add(node);
      }
    }
  }
}
