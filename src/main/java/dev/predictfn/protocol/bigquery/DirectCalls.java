package dev.predictfn.protocol.bigquery;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.rows.JsonBytes;
import dev.predictfn.rows.JsonNumber;
import io.micronaut.core.annotation.Nullable;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code calls} array of a remote-function request read straight from the body's bytes, without
 * a parser's tokens: the fast path of {@link RemoteCallsDecoder} for what BigQuery sends, one array
 * per row of JSON numbers, strings naming known categories and {@code null}s. Anything else in it
 * (a number sent as a string, an escape, a wrong count of arguments, a value that is not finite,
 * more calls than allowed) makes it answer null, and the decoder reads the array with Jackson,
 * which words what is wrong; what it reads is what that reading would give, bit for bit.
 */
final class DirectCalls {
  /** The rows read (null for a call with a NULL argument), where a NULL first was, the end. */
  record Read(List<double[]> rows, @Nullable String firstNull, int end) {}

  private DirectCalls() {}

  /**
   * Reads the array that opens at {@code body[from]}.
   *
   * @param maxCalls the most calls a request may carry
   * @return the rows and the index just after the array, or null when the decoder must read it
   */
  static @Nullable Read read(byte[] body, int from, InputSchema schema, int maxCalls) {
    int end = body.length;
    int arguments = schema.size();
    int i = JsonBytes.blank(body, from + 1, end);
    List<double[]> rows = new ArrayList<>(Math.min(maxCalls, end / (2 * arguments + 2) + 1));
    String firstNull = null;
    JsonNumber number = new JsonNumber();
    if (i < end && body[i] == ']') {
      return new Read(rows, null, i + 1);
    }
    while (true) {
      if (rows.size() == maxCalls || i >= end || body[i] != '[') {
        return null;
      }
      double[] row = new double[arguments];
      boolean hasNull = false;
      i = JsonBytes.blank(body, i + 1, end);
      for (int f = 0; f < arguments; f++) {
        if (f > 0) {
          if (i >= end || body[i] != ',') {
            return null;
          }
          i = JsonBytes.blank(body, i + 1, end);
        }
        if (i >= end) {
          return null;
        }
        int next;
        byte b = body[i];
        if (b == 'n') {
          next = JsonBytes.literal(body, i, end); // only null starts with n
          if (next < 0) {
            return null;
          }
          if (firstNull == null) {
            firstNull = RemoteCallsDecoder.where(rows.size(), f, schema.names());
          }
          hasNull = true;
        } else if (b == '"') {
          next = JsonBytes.string(body, i + 1, end) + 1;
          if (next <= 0 || !schema.isCategorical(f)) {
            return null;
          }
          int category = schema.categoryValue(f, body, i + 1, next - 1);
          if (category < (int) InputSchema.UNKNOWN_CATEGORY) {
            return null;
          }
          row[f] = category;
        } else {
          next = number.read(body, i, end);
          if (next < 0 || schema.isCategorical(f)) {
            return null;
          }
          row[f] = number.value();
          if (!Double.isFinite(row[f])) {
            return null;
          }
        }
        i = JsonBytes.blank(body, next, end);
      }
      if (i >= end || body[i] != ']') {
        return null;
      }
      rows.add(hasNull ? null : row);
      i = JsonBytes.blank(body, i + 1, end);
      if (i < end && body[i] == ']') {
        return new Read(rows, firstNull, i + 1);
      }
      if (i >= end || body[i] != ',') {
        return null;
      }
      i = JsonBytes.blank(body, i + 1, end);
    }
  }
}
