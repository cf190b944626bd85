package dev.predictfn.rows;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Searches of ASCII text eight bytes at a time, for the loops that read millions of lines: the JIT
 * does not vectorize a byte-by-byte search, and lines of numbers are short, so most searches end in
 * their first word. Each word's bytes are tested all at once with exact masks ("Bit Twiddling
 * Hacks", Anderson): a byte's mask bit is its high bit, set only when that byte matches, with no
 * carry or borrow into another byte.
 */
public final class AsciiWords {
  private static final VarHandle WORD =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LOW_7 = 0x7F7F_7F7F_7F7F_7F7FL;
  private static final long HIGH = 0x8080_8080_8080_8080L;
  private static final long NEWLINES = 0x0A0A_0A0A_0A0A_0A0AL;
  private static final long COMMAS = 0x2C2C_2C2C_2C2C_2C2CL;
  private static final long QUOTES = 0x2222_2222_2222_2222L;
  private static final long TO_SPACE =
      0x6060_6060_6060_6060L; // a low-7 byte + 0x60 >= 0x80 iff >= 0x20

  private AsciiWords() {}

  /** Where the first {@code \n} in {@code bytes[from..to)} is, or {@code to}. */
  public static int newline(byte[] bytes, int from, int to) {
    int i = from;
    for (; i <= to - Long.BYTES; i += Long.BYTES) {
      long matches = zeros((long) WORD.get(bytes, i) ^ NEWLINES);
      if (matches != 0) {
        return i + (Long.numberOfTrailingZeros(matches) >>> 3);
      }
    }
    while (i < to && bytes[i] != '\n') {
      i++;
    }
    return i;
  }

  /**
   * Where the CSV field that starts at {@code from} ends: the first {@code ,} in {@code
   * bytes[from..to)}, or {@code to}; -1 when a byte before it is a control character, a quote or a
   * byte above 0x7f, which a simple field never has.
   */
  public static int csvField(byte[] bytes, int from, int to) {
    int i = from;
    for (; i <= to - Long.BYTES; i += Long.BYTES) {
      long word = (long) WORD.get(bytes, i);
      long commas = zeros(word ^ COMMAS);
      long others = word & HIGH | ~((word & LOW_7) + TO_SPACE) & HIGH | zeros(word ^ QUOTES);
      if (commas != 0) {
        long first = commas & -commas;
        return (others & (first - 1)) != 0 ? -1 : i + (Long.numberOfTrailingZeros(first) >>> 3);
      }
      if (others != 0) {
        return -1;
      }
    }
    for (; i < to; i++) {
      byte b = bytes[i];
      if (b == ',') {
        return i;
      }
      if (b < 0x20 || b == '"') { // a control character, a quote or a byte above 0x7f
        return -1;
      }
    }
    return to;
  }

  /** The high bit of each zero byte of {@code word}, and no other bit. */
  private static long zeros(long word) {
    return ~((word & LOW_7) + LOW_7 | word | LOW_7);
  }
}
