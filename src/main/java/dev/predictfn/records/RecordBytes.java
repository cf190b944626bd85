package dev.predictfn.records;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.predictfn.rows.DecimalText;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Record lines as they are built: a growable byte array that appends JSON fragments without the
 * per-call locking of {@code ByteArrayOutputStream} or the per-field bookkeeping of a generator (a
 * record is mostly fragments {@link RecordJson} encoded once; see {@code bench/setting-cost.sh} for
 * what recording costs a request).
 */
final class RecordBytes {
  /** The most bytes {@link #writeTo} hands the stream in one call. */
  static final int WRITE_SLICE = 64 << 10;

  private byte[] bytes;
  private int size;

  RecordBytes(int capacity) {
    this.bytes = new byte[Math.max(capacity, 64)];
  }

  int size() {
    return size;
  }

  void reset() {
    size = 0;
  }

  RecordBytes append(byte[] fragment) {
    ensure(fragment.length);
    System.arraycopy(fragment, 0, bytes, size, fragment.length);
    size += fragment.length;
    return this;
  }

  RecordBytes append(RecordBytes other) {
    ensure(other.size);
    System.arraycopy(other.bytes, 0, bytes, size, other.size);
    size += other.size;
    return this;
  }

  RecordBytes append(char ascii) {
    ensure(1);
    bytes[size++] = (byte) ascii;
    return this;
  }

  /** Appends {@code ascii}, which must hold only ASCII characters that need no JSON escape. */
  RecordBytes appendAscii(String ascii) {
    int n = ascii.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      bytes[size + i] = (byte) ascii.charAt(i);
    }
    size += n;
    return this;
  }

  /** Appends {@code value} as a JSON string: quoted, escaped, UTF-8. */
  RecordBytes appendString(String value) {
    return append(quoted(value));
  }

  /**
   * Appends {@code value} as a JSON number, always with a fraction or an exponent ({@code 3.0},
   * never {@code 3}), as the shortest decimal that reads back as the same double, as JDK 19's
   * {@code Double.toString} gives it ({@link DecimalText}), straight into the array. A value that
   * is not finite has no JSON number and is written as {@code null}.
   */
  RecordBytes appendNumber(double value) {
    return number(value, false);
  }

  /**
   * Appends {@code value} as {@link #appendNumber} does, quicker for a number with a few decimals,
   * such as a feature read from text ({@link DecimalText#writeShort}).
   */
  RecordBytes appendShortNumber(double value) {
    return number(value, true);
  }

  private RecordBytes number(double value, boolean likelyShort) {
    if (!Double.isFinite(value)) {
      return append(NULL);
    }
    ensure(DecimalText.MAX_LENGTH);
    size =
        likelyShort
            ? DecimalText.writeShort(value, bytes, size)
            : DecimalText.write(value, bytes, size);
    return this;
  }

  byte[] toBytes() {
    return Arrays.copyOf(bytes, size);
  }

  /**
   * Writes the bytes in slices of at most {@value #WRITE_SLICE} bytes. A {@code FileOutputStream}
   * copies a larger write into a native buffer it allocates for that one write, and writes of a
   * megabyte (a busy second's records gathered by {@link RecordWriter}) cost the writing thread far
   * more system time than the same bytes in slices of this size (measured with bench/bigquery.sh's
   * load and the thread's CPU time, and with a plain program writing a file).
   */
  void writeTo(OutputStream out) throws IOException {
    for (int from = 0; from < size; from += WRITE_SLICE) {
      out.write(bytes, from, Math.min(WRITE_SLICE, size - from));
    }
  }

  @Override
  public String toString() {
    return new String(bytes, 0, size, StandardCharsets.UTF_8);
  }

  /** {@code value} as a JSON string's bytes, quotes included. */
  static byte[] quoted(String value) {
    byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(value);
    byte[] quoted = new byte[escaped.length + 2];
    quoted[0] = '"';
    System.arraycopy(escaped, 0, quoted, 1, escaped.length);
    quoted[quoted.length - 1] = '"';
    return quoted;
  }

  private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
