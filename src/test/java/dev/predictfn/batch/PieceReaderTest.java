package dev.predictfn.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link PieceReader#newline}, eight bytes at a time, finds what a byte-by-byte search finds: over
 * random bytes with newlines at every place in a word, next to the bytes a borrow or a high bit
 * could confuse it with ({@code 0x0B}, {@code 0x09}, {@code 0x8A}, zeros), from every start.
 */
class PieceReaderTest {
  private static final byte[] TRICKY = {'\n', '\n', 0x0B, 0x09, (byte) 0x8A, 0, (byte) 0xFF, '1'};

  @Test
  void findsTheFirstNewlineAsAByteByByteSearchDoes() {
    SplittableRandom random = new SplittableRandom(10);
    for (int n = 0; n < 20_000; n++) {
      byte[] bytes = new byte[random.nextInt(40)];
      int density = 1 + random.nextInt(20);
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] =
            random.nextInt(density) == 0
                ? TRICKY[random.nextInt(TRICKY.length)]
                : (byte) random.nextInt(256);
      }
      int to = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
      for (int from = 0; from <= to; from++) {
        assertEquals(slowly(bytes, from, to), PieceReader.newline(bytes, from, to));
      }
    }
  }

  private static int slowly(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to && bytes[i] != '\n') {
      i++;
    }
    return i;
  }
}
