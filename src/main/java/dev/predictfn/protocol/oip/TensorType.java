package dev.predictfn.protocol.oip;

import dev.predictfn.rows.JsonInput;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import java.nio.ByteBuffer;

/**
 * The numeric tensor datatypes a feature may arrive in, over JSON or as binary data (the binary
 * tensor data extension: little-endian, row-major, each element in its type's native size).
 */
enum TensorType {
  FP32(4, false, 0, 0),
  FP64(8, false, 0, 0),
  INT8(1, true, Byte.MIN_VALUE, Byte.MAX_VALUE),
  INT16(2, true, Short.MIN_VALUE, Short.MAX_VALUE),
  INT32(4, true, Integer.MIN_VALUE, Integer.MAX_VALUE),
  INT64(8, true, Long.MIN_VALUE, Long.MAX_VALUE),
  UINT8(1, true, 0, 255),
  UINT16(2, true, 0, 65_535),
  UINT32(4, true, 0, 4_294_967_295.0),
  UINT64(8, true, 0, 18_446_744_073_709_551_615.0);

  /** Bytes per element in binary data. */
  final int width;

  private final boolean integer;
  private final double min;
  private final double max;

  TensorType(int width, boolean integer, double min, double max) {
    this.width = width;
    this.integer = integer;
    this.min = min;
    this.max = max;
  }

  /** The type named {@code name}, or null when it is no numeric feature type. */
  @Nullable
  static TensorType named(String name) {
    for (TensorType type : values()) {
      if (type.name().equals(name)) {
        return type;
      }
    }
    return null;
  }

  /** The names, for messages. */
  static String names() {
    StringBuilder names = new StringBuilder();
    for (TensorType type : values()) {
      names.append(names.length() == 0 ? "" : ", ").append(type.name());
    }
    return names.toString();
  }

  /** Reads one element of binary data (little-endian) at the buffer's position. */
  double read(ByteBuffer data) {
    return switch (this) {
      case FP32 -> data.getFloat();
      case FP64 -> data.getDouble();
      case INT8 -> data.get();
      case INT16 -> data.getShort();
      case INT32 -> data.getInt();
      case INT64 -> data.getLong();
      case UINT8 -> Byte.toUnsignedInt(data.get());
      case UINT16 -> Short.toUnsignedInt(data.getShort());
      case UINT32 -> Integer.toUnsignedLong(data.getInt());
      case UINT64 -> unsigned(data.getLong());
    };
  }

  /**
   * The JSON element as this type's value, or NaN when it is not one (not a finite number, or for
   * an integer type not an integer within the type's range).
   */
  double fromJson(@Nullable JsonNode element) {
    var number = JsonInput.finiteNumber(element);
    if (number.isEmpty()) {
      return Double.NaN;
    }
    double value = number.getAsDouble();
    if (integer && (value != Math.rint(value) || value < min || value > max)) {
      return Double.NaN;
    }
    return value;
  }

  /** What an element of this type must be, for messages. */
  String expectation() {
    return integer
        ? "an integer from " + (long) min + " to " + range()
        : "a finite " + (this == FP32 ? "32" : "64") + "-bit floating-point number";
  }

  private String range() {
    return this == UINT64 ? "18446744073709551615" : Long.toString((long) max);
  }

  private static double unsigned(long bits) {
    return bits >= 0 ? bits : (double) (bits >>> 1) * 2.0 + (bits & 1);
  }
}
