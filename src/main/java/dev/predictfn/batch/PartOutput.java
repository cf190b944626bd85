package dev.predictfn.batch;

import dev.predictfn.rows.DecimalText;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A task's output part as bytes: lines copied straight from the input (the fast path) and lines
 * written as text, encoded as UTF-8 exactly as a {@link java.io.Writer} from {@code
 * Files.newBufferedWriter} would (text that is not valid Unicode fails the task, as it did there).
 */
final class PartOutput implements Closeable {
  /**
   * Bytes gathered per write to the file: the kernel spends less system CPU per byte on fewer,
   * larger writes, and a part is gigabytes; as much as {@link PieceReader} reads at a time.
   */
  private static final int BUFFER = 1 << 20;

  private final OutputStream out;
  private final byte[] buffer = new byte[BUFFER];
  private int used;
  private char[] chars = new char[256];

  PartOutput(OutputStream out) {
    this.out = out;
  }

  /** Writes {@code length} bytes of {@code bytes} from {@code from}. */
  void write(byte[] bytes, int from, int length) throws IOException {
    if (length > buffer.length - used) {
      flush();
      if (length > buffer.length) {
        out.write(bytes, from, length);
        return;
      }
    }
    System.arraycopy(bytes, from, buffer, used, length);
    used += length;
  }

  /** Writes {@code text} as UTF-8. */
  void write(StringBuilder text) throws IOException {
    int length = text.length();
    if (length > chars.length) {
      chars = new char[Math.max(length, chars.length * 2)];
    }
    text.getChars(0, length, chars, 0);
    if (length > buffer.length - used) {
      flush();
    }
    if (length <= buffer.length - used) {
      byte[] to = buffer;
      int at = used;
      for (int i = 0; i < length; i++) {
        char c = chars[i];
        if (c >= 0x80) {
          writeEncoded(text);
          return;
        }
        to[at + i] = (byte) c;
      }
      used = at + length;
      return;
    }
    writeEncoded(text);
  }

  /** Writes {@code text}, a header, as UTF-8. */
  void write(String text) throws IOException {
    write(new StringBuilder(text));
  }

  /** Writes one byte. */
  void write(char ascii) throws IOException {
    if (used == buffer.length) {
      flush();
    }
    buffer[used++] = (byte) ascii;
  }

  /**
   * Writes {@code value} as {@link DecimalText} does: {@code Double.toString}'s text on JDK 19+.
   */
  void write(double value) throws IOException {
    if (buffer.length - used < DecimalText.MAX_LENGTH) {
      flush();
    }
    used = DecimalText.write(value, buffer, used);
  }

  /** {@code text} as {@link #write(StringBuilder)} writes it. */
  static byte[] utf8(CharSequence text) throws CharacterCodingException {
    ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(text));
    return Arrays.copyOfRange(
        bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.arrayOffset() + bytes.limit());
  }

  private void writeEncoded(CharSequence text) throws IOException {
    byte[] bytes = utf8(text);
    write(bytes, 0, bytes.length);
  }

  private void flush() throws IOException {
    out.write(buffer, 0, used);
    used = 0;
  }

  @Override
  public void close() throws IOException {
    try (out) {
      flush();
    }
  }
}
