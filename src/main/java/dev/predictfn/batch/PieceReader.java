package dev.predictfn.batch;

import dev.predictfn.rows.AsciiWords;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads the lines a {@link Shares.Piece} owns, streaming, in bounded memory: the lines whose first
 * byte lies within the piece's range (the line that starts at the range's first byte only if the
 * byte before it ends a line). Lines end at {@code \n}; a {@code \r} before it is dropped. Each
 * line's byte offset is known; its line number in the file is counted only when asked for (a
 * reject), once per piece.
 */
final class PieceReader implements AutoCloseable {
  private static final int BUFFER = 1 << 20;

  private final Path file;
  private final long end;
  private final FileChannel channel;
  private final InputStream in;
  private final byte[] buffer = new byte[BUFFER];
  private int bufferPosition;
  private int bufferLength;
  private long position;
  private byte[] line = new byte[256];
  private int length;
  private long lineStart;
  private long linesBefore = -1; // lines of the file before the piece's first line, once counted
  private long firstLineStart;
  private long linesRead;

  PieceReader(Shares.Piece piece) throws IOException {
    this.file = piece.file();
    this.end = piece.end();
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    long start = piece.start();
    if (start > 0) {
      channel.position(start - 1);
      this.in = Channels.newInputStream(channel);
      this.position = start - 1;
      // The line at `start` is this piece's only if the byte before it ends a line; else skip
      // the rest of the line the previous piece owns.
      int b;
      while ((b = read()) != -1 && b != '\n') {
        // skipping
      }
    } else {
      this.in = Channels.newInputStream(channel);
    }
    this.firstLineStart = position;
  }

  /** Reads the next owned line; false when the piece has no more. */
  boolean next() throws IOException {
    if (position >= end) {
      return false;
    }
    lineStart = position;
    length = 0;
    boolean ended = false;
    while (true) {
      if (bufferPosition == bufferLength && !fill()) {
        break;
      }
      int from = bufferPosition;
      int newline = AsciiWords.newline(buffer, from, bufferLength);
      int n = newline - from;
      if (length + n > line.length) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
      }
      System.arraycopy(buffer, from, line, length, n);
      length += n;
      position += n;
      bufferPosition = newline;
      if (newline < bufferLength) {
        bufferPosition++;
        position++;
        ended = true;
        break;
      }
    }
    if (!ended && length == 0) {
      return false; // the end of the file
    }
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    linesRead++;
    return true;
  }

  /**
   * The current line's bytes: the first {@link #length()} of this array, valid until {@link #next}.
   */
  byte[] bytes() {
    return line;
  }

  /** The current line's length in bytes, without its line end. */
  int length() {
    return length;
  }

  /** The current line, decoded as UTF-8. */
  String line() {
    return new String(line, 0, length, StandardCharsets.UTF_8);
  }

  /** The byte offset of the current line in the file. */
  long offset() {
    return lineStart;
  }

  /** The current line's number in the file (1 for the first line). */
  long lineNumber() throws IOException {
    return lineNumberAt(linesRead);
  }

  /** How many lines this reader has read: a mark for {@link #lineNumberAt}. */
  long linesRead() {
    return linesRead;
  }

  /** The number in the file of the line that was this reader's {@code mark}-th. */
  long lineNumberAt(long mark) throws IOException {
    if (linesBefore < 0) {
      linesBefore = countLines(file, firstLineStart);
    }
    return linesBefore + mark;
  }

  /** The first line of {@code file} (a CSV header), or null for an empty file. */
  static String firstLine(Path file) throws IOException {
    try (PieceReader reader = new PieceReader(new Shares.Piece(file, 0, Long.MAX_VALUE))) {
      return reader.next() ? reader.line() : null;
    }
  }

  private int read() throws IOException {
    if (bufferPosition == bufferLength && !fill()) {
      return -1;
    }
    position++;
    return buffer[bufferPosition++] & 0xFF;
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer);
    if (n <= 0) {
      return false;
    }
    bufferPosition = 0;
    bufferLength = n;
    return true;
  }

  private static long countLines(Path file, long before) throws IOException {
    long lines = 0;
    try (InputStream prefix =
        new BufferedInputStream(
            Channels.newInputStream(FileChannel.open(file, StandardOpenOption.READ)), BUFFER)) {
      byte[] buffer = new byte[BUFFER];
      long left = before;
      int n;
      while (left > 0 && (n = prefix.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            lines++;
          }
        }
        left -= n;
      }
    }
    return lines;
  }

  @Override
  public void close() throws IOException {
    in.close();
    channel.close();
  }
}
