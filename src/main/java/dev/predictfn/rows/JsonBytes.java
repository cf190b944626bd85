package dev.predictfn.rows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON's simple tokens read straight from UTF-8 bytes, for the fast paths that read millions of
 * rows without a parser's tokens: whitespace, strings without escapes, numbers and the three
 * literals. Each method answers where its token ends, or -1 when the bytes there are anything else,
 * which a caller leaves to a JSON library and its words.
 */
public final class JsonBytes {
  private static final byte[][] LITERALS = {
    "true".getBytes(StandardCharsets.US_ASCII),
    "false".getBytes(StandardCharsets.US_ASCII),
    "null".getBytes(StandardCharsets.US_ASCII)
  };

  private JsonBytes() {}

  /** The first byte from {@code i} (below {@code end}) that is not JSON whitespace. */
  public static int blank(byte[] json, int i, int end) {
    while (i < end && (json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t')) {
      i++;
    }
    return i;
  }

  /**
   * Where the string whose text starts at {@code from} (after its opening quote) closes: the index
   * of its closing quote; -1 when it has an escape, a control character or a byte above 0x7f, or
   * does not close before {@code end}.
   */
  public static int string(byte[] json, int from, int end) {
    for (int i = from; i < end; i++) {
      byte b = json[i];
      if (b == '"') {
        return i;
      }
      if (b < 0x20 || b == '\\') { // a control character, an escape or a byte above 0x7f
        return -1;
      }
    }
    return -1;
  }

  /**
   * Where the JSON number at {@code from} ends ({@code -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?}); -1
   * when none starts there.
   */
  public static int number(byte[] json, int from, int end) {
    int i = from < end && json[from] == '-' ? from + 1 : from;
    if (i < end && json[i] == '0') {
      i++;
    } else if (i < end && json[i] >= '1' && json[i] <= '9') {
      i = digits(json, i, end);
    } else {
      return -1;
    }
    if (i < end && json[i] == '.') {
      int start = i + 1;
      i = digits(json, start, end);
      if (i == start) {
        return -1;
      }
    }
    if (i < end && (json[i] == 'e' || json[i] == 'E')) {
      i++;
      if (i < end && (json[i] == '+' || json[i] == '-')) {
        i++;
      }
      int start = i;
      i = digits(json, start, end);
      if (i == start) {
        return -1;
      }
    }
    return i;
  }

  /**
   * The value of the JSON number {@code json[from..to)} (as {@link #number} found it) as Jackson's
   * {@code getDoubleValue()} gives it, bit for bit: {@link Decimal}'s reading, and +0 for an
   * integer's zero, as Jackson reads {@code -0}.
   */
  public static double numberValue(byte[] json, int from, int to) {
    double value = Decimal.parse(json, from, to);
    return value == 0 && isInteger(json, from, to) ? 0.0 : value;
  }

  private static boolean isInteger(byte[] json, int from, int to) {
    for (int i = from; i < to; i++) {
      if (json[i] == '.' || json[i] == 'e' || json[i] == 'E') {
        return false;
      }
    }
    return true;
  }

  /**
   * Where {@code true}, {@code false} or {@code null} at {@code from} ends; -1 for anything else.
   */
  public static int literal(byte[] json, int from, int end) {
    for (byte[] word : LITERALS) {
      if (from + word.length <= end && same(word, json, from, from + word.length)) {
        return from + word.length;
      }
    }
    return -1;
  }

  /** Whether {@code json[from..to)} is {@code word}'s bytes. */
  public static boolean same(byte[] word, byte[] json, int from, int to) {
    return Arrays.equals(word, 0, word.length, json, from, to);
  }

  private static int digits(byte[] json, int i, int end) {
    while (i < end && json[i] >= '0' && json[i] <= '9') {
      i++;
    }
    return i;
  }
}
