package dev.predictfn.batch;

import dev.predictfn.rows.DecimalText;
import java.io.IOException;

/**
 * A reader of a format's ordinary lines straight from their bytes into validated rows, with no
 * string, field list or JSON tree per line ({@link CsvFastPath}, {@link JsonLinesFastPath}). A line
 * it takes gets exactly the row and output bytes the general path ({@link RowFormat#parse} and
 * {@link dev.predictfn.rows.RowReader}) would give it; any other line is left to the general path,
 * which words what is wrong with it.
 */
abstract class FastPath {
  private final byte[] keptPrefix;
  private int keptStart;
  private int keptEnd;

  /**
   * @param keptPrefix what the output line writes before the kept bytes of every line (UTF-8)
   */
  FastPath(byte[] keptPrefix) {
    this.keptPrefix = keptPrefix;
  }

  /**
   * Reads {@code line}'s first {@code length} bytes into {@code row} (card feature order).
   *
   * @return true for an ordinary line, whose output starts with {@link #keptPrefix()} and then
   *     bytes {@link #keptStart()} to {@link #keptEnd()} of it; false for any other
   */
  abstract boolean read(byte[] line, int length, double[] row);

  /** Appends what the output line adds after the kept bytes, as the general path's text. */
  abstract void appendPrediction(StringBuilder out, String label, double[] probabilities);

  /** Writes the same as {@link #appendPrediction}, probabilities by {@link DecimalText}. */
  abstract void writePrediction(PartOutput out, String label, double[] probabilities)
      throws IOException;

  /**
   * Writes what the output line adds after the kept bytes, and its end, as the general path writes
   * them: each probability as {@code Double.toString} gives it, written by {@link DecimalText}
   * where that is the same text, else through {@code scratch}.
   */
  final void writePrediction(
      PartOutput out, String label, double[] probabilities, StringBuilder scratch)
      throws IOException {
    if (DecimalText.SAME_AS_THIS_JVM) {
      writePrediction(out, label, probabilities);
      out.write('\n');
      return;
    }
    scratch.setLength(0);
    appendPrediction(scratch, label, probabilities);
    out.write(scratch.append('\n'));
  }

  /** Records that the last line read keeps bytes {@code start} to {@code end} of it. */
  final void keep(int start, int end) {
    keptStart = start;
    keptEnd = end;
  }

  final byte[] keptPrefix() {
    return keptPrefix;
  }

  /** Where the bytes the output keeps of the last line read start. */
  final int keptStart() {
    return keptStart;
  }

  /** Where they end (exclusive). */
  final int keptEnd() {
    return keptEnd;
  }
}
