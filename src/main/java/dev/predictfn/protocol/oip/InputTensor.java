package dev.predictfn.protocol.oip;

import dev.predictfn.http.ApiException;
import dev.predictfn.rows.JsonInput;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One input tensor of an infer request, checked for the fields every tensor must have: name,
 * datatype ({@link TensorType}), shape, and its elements as JSON {@code data} or as binary data
 * after the JSON (the binary tensor data extension). {@link #values} reads the elements as doubles
 * and says exactly which one is not a finite number.
 */
record InputTensor(
    String name,
    TensorType type,
    long[] shape,
    @Nullable JsonNode data,
    @Nullable ByteBuffer bytes) {
  /**
   * The tensor {@code node} describes; a binary one takes its {@code binary_data_size} bytes from
   * {@code binary} (null when the request has no binary data).
   */
  static InputTensor of(JsonNode node, int index, @Nullable ByteBuffer binary) {
    String where = "inputs[" + index + "]";
    if (!node.isObject()) {
      throw ApiException.badRequest(
          where + " must be a tensor object, but it is " + JsonInput.kind(node));
    }
    JsonNode name = node.get("name");
    if (name == null || !name.isString()) {
      throw ApiException.badRequest(where + " needs a string \"name\"");
    }
    where = "input \"" + name.getStringValue() + "\"";
    JsonNode datatype = node.get("datatype");
    if (datatype == null || !datatype.isString()) {
      throw ApiException.badRequest(where + " needs a string \"datatype\"");
    }
    String type = datatype.getStringValue();
    if (!InferRequest.PROTOCOL_TYPES.contains(type)) {
      throw ApiException.badRequest(
          where + " has unknown datatype \"" + type + "\"; this model takes " + TensorType.names());
    }
    TensorType tensorType = TensorType.named(type);
    if (tensorType == null) {
      throw ApiException.badRequest(
          where
              + " has datatype "
              + type
              + "; this model takes numeric features: "
              + TensorType.names());
    }
    JsonNode shapeNode = node.get("shape");
    if (shapeNode == null || !shapeNode.isArray() || shapeNode.size() == 0) {
      throw ApiException.badRequest(where + " needs a \"shape\" array such as [N, F]");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode dim = shapeNode.get(i);
      if (!dim.isNumber()
          || dim.getDoubleValue() != Math.rint(dim.getDoubleValue())
          || dim.getLongValue() < 0) {
        throw ApiException.badRequest(
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
        throw ApiException.badRequest(where + " needs a \"data\" array");
      }
      return new InputTensor(name.getStringValue(), tensorType, shape, data, null);
    }
    if (data != null) {
      throw ApiException.badRequest(
          where + " has both \"data\" and binary_data_size; send its elements one way");
    }
    if (!size.isNumber()
        || size.getLongValue() < 0
        || size.getDoubleValue() != Math.rint(size.getDoubleValue())) {
      throw ApiException.badRequest(where + " has a binary_data_size that is not a byte count");
    }
    if (binary == null) {
      throw ApiException.badRequest(
          where
              + " has binary_data_size but the request has no Inference-Header-Content-Length"
              + " header saying where the JSON ends and the binary data begins");
    }
    long bytes = size.getLongValue();
    if (bytes > binary.remaining()) {
      throw ApiException.badRequest(
          where
              + " has binary_data_size "
              + bytes
              + " but only "
              + binary.remaining()
              + " bytes of binary data are left");
    }
    ByteBuffer slice = binary.slice().order(ByteOrder.LITTLE_ENDIAN).limit((int) bytes);
    binary.position(binary.position() + (int) bytes);
    return new InputTensor(name.getStringValue(), tensorType, shape, null, slice);
  }

  String shapeText() {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      text.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return text.append("]").toString();
  }

  /** "input X has shape [..] (N {@code detail}": the data does not fit the shape. */
  private ApiException mismatch(long expected, String detail) {
    return ApiException.badRequest(
        "input \"" + name + "\" has shape " + shapeText() + " (" + expected + " " + detail);
  }

  private ApiException badElement(int index, String expected, String actual) {
    return ApiException.badRequest(
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
                : JsonInput.kind(element));
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
