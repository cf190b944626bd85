package dev.predictfn.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which parts of the input each task scores. Every file is cut into pieces of at most about {@code
 * splitBytes} (a file no larger is one piece), the pieces of all files are numbered in file order,
 * and piece {@code k} belongs to task {@code k % taskCount}. A piece owns the lines that start
 * within its byte range, so the pieces of a file together own each of its lines exactly once, and
 * every task computes the same split from the same files.
 */
final class Shares {
  private Shares() {}

  /**
   * A byte range of one file.
   *
   * @param file the file
   * @param start the first byte of the range
   * @param end one past its last byte
   */
  record Piece(Path file, long start, long end) {}

  /** The pieces of task {@code index} of {@code count}, in file order. */
  static List<Piece> forTask(
      List<Path> files, long[] sizes, int index, int count, long splitBytes) {
    List<Piece> mine = new ArrayList<>();
    long k = 0;
    for (int i = 0; i < files.size(); i++) {
      long size = sizes[i];
      long pieces = Math.max(1, (size + splitBytes - 1) / splitBytes);
      for (long p = 0; p < pieces; p++, k++) {
        if (k % count == index) {
          mine.add(new Piece(files.get(i), size * p / pieces, size * (p + 1) / pieces));
        }
      }
    }
    return mine;
  }
}
