package dev.predictfn.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link AsciiWords}, eight bytes at a time, finds what a byte-by-byte search finds: over random
 * bytes with the searched bytes at every place in a word, next to the bytes a borrow, a carry or a
 * high bit could confuse them with, from every start to every end.
 */
class AsciiWordsTest {
  private static final byte[] TRICKY = {
    '\n',
    '\n',
    ',',
    ',',
    '"',
    0x0B,
    0x09,
    0x1F,
    0x20,
    0x21,
    0x2D,
    0x2B,
    (byte) 0x8A,
    (byte) 0xAC,
    (byte) 0xA2,
    (byte) 0x80,
    (byte) 0xFF,
    0,
    '1',
    '.'
  };

  @Test
  void findsTheFirstNewlineAsAByteByByteSearchDoes() {
    forRandomBytes(
        (bytes, from, to) ->
            assertEquals(newline(bytes, from, to), AsciiWords.newline(bytes, from, to)));
  }

  @Test
  void findsACsvFieldsEndOrItsFirstUnusualByteAsAByteByByteSearchDoes() {
    forRandomBytes(
        (bytes, from, to) ->
            assertEquals(
                csvField(bytes, from, to),
                AsciiWords.csvField(bytes, from, to),
                () -> Arrays.toString(Arrays.copyOfRange(bytes, from, to))));
  }

  private interface Check {
    void check(byte[] bytes, int from, int to);
  }

  private static void forRandomBytes(Check check) {
    SplittableRandom random = new SplittableRandom(10);
    for (int n = 0; n < 20_000; n++) {
      byte[] bytes = new byte[random.nextInt(40)];
      int density = 1 + random.nextInt(20);
      boolean ascii = random.nextBoolean();
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] =
            random.nextInt(density) == 0
                ? TRICKY[random.nextInt(TRICKY.length)]
                : (byte) (ascii ? 0x20 + random.nextInt(0x5F) : random.nextInt(256));
      }
      int to = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
      for (int from = 0; from <= to; from++) {
        check.check(bytes, from, to);
      }
    }
  }

  private static int newline(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to && bytes[i] != '\n') {
      i++;
    }
    return i;
  }

  private static int csvField(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == ',') {
        return i;
      }
      if (bytes[i] < 0x20 || bytes[i] == '"') {
        return -1;
      }
    }
    return to;
  }
}
