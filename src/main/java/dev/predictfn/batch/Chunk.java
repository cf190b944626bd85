package dev.predictfn.batch;

import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.util.Arrays;

/**
 * The rows a task has read and not yet scored, with where each came from, in buffers reused from
 * chunk to chunk: a row read by the fast path keeps its output bytes here, one read by the general
 * path its {@link RowFormat.Parsed}.
 */
final class Chunk {
  private final double[][] direct; // the fast path's rows, reused
  private final double[][] rows;
  private final RowFormat.Parsed[] parsed;
  private final int[] keptStart;
  private final int[] keptEnd;
  private final long[] marks;
  private final long[] offsets;
  private byte[] kept = new byte[1 << 16];
  private int keptUsed;
  private int size;

  Chunk(int capacity, int features) {
    this.direct = new double[capacity][features];
    this.rows = new double[capacity][];
    this.parsed = new RowFormat.Parsed[capacity];
    this.keptStart = new int[capacity];
    this.keptEnd = new int[capacity];
    this.marks = new long[capacity];
    this.offsets = new long[capacity];
  }

  /** The buffer the fast path reads the next row into; {@link #addDirect} keeps it. */
  double[] nextRow() {
    return direct[size];
  }

  /**
   * Keeps the row just read into {@link #nextRow()}, with {@code prefix} and then bytes {@code
   * from} to {@code to} of {@code line} for its output.
   *
   * @param mark the reader's {@link PieceReader#linesRead()} at the row
   * @param offset the row's byte offset in its file
   */
  void addDirect(byte[] prefix, byte[] line, int from, int to, long mark, long offset) {
    int length = prefix.length + to - from;
    if (keptUsed + length > kept.length) {
      kept = Arrays.copyOf(kept, Math.max(kept.length * 2, keptUsed + length));
    }
    System.arraycopy(prefix, 0, kept, keptUsed, prefix.length);
    System.arraycopy(line, from, kept, keptUsed + prefix.length, to - from);
    keptStart[size] = keptUsed;
    keptEnd[size] = keptUsed + length;
    keptUsed += length;
    add(direct[size], null, mark, offset);
  }

  /** Keeps a row the general path read. */
  void addParsed(double[] row, RowFormat.Parsed line, long mark, long offset) {
    add(row, line, mark, offset);
  }

  private void add(double[] row, @Nullable RowFormat.Parsed line, long mark, long offset) {
    rows[size] = row;
    parsed[size] = line;
    marks[size] = mark;
    offsets[size] = offset;
    size++;
  }

  int size() {
    return size;
  }

  boolean isFull() {
    return size == rows.length;
  }

  double[] row(int i) {
    return rows[i];
  }

  /** How the general path read row {@code i}, or null when the fast path did. */
  @Nullable
  RowFormat.Parsed parsed(int i) {
    return parsed[i];
  }

  long mark(int i) {
    return marks[i];
  }

  long offset(int i) {
    return offsets[i];
  }

  /** Writes the output bytes the fast path kept of row {@code i}. */
  void writeKept(int i, PartOutput out) throws IOException {
    out.write(kept, keptStart[i], keptEnd[i] - keptStart[i]);
  }

  void clear() {
    Arrays.fill(parsed, 0, size, null);
    Arrays.fill(rows, 0, size, null);
    size = 0;
    keptUsed = 0;
  }
}
