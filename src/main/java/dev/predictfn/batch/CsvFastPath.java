package dev.predictfn.batch;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.rows.Decimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads an ordinary CSV line of {@link CsvRows} straight from its bytes into a validated row: no
 * string per line, no field list, no JSON value per feature. A line is ordinary when it is ASCII
 * without control characters or quotes, has the header's number of fields, each numeric feature a
 * plain decimal ({@code [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?}) with a finite value and each
 * categorical feature a category the card accepts. Such a line gets exactly the row and output text
 * the general path ({@link CsvRows#parse} and {@link dev.predictfn.rows.RowReader}) would give it;
 * any other line is left to the general path, which words what is wrong with it.
 *
 * <p>A number is {@link Double#parseDouble}'s: up to 15 significant digits and a power of ten up to
 * 22 are one exact division or multiplication of two exactly represented doubles, so correctly
 * rounded; longer ones go to {@code Double.parseDouble} itself.
 */
final class CsvFastPath {
  private final CsvRows format;
  private final InputSchema schema;
  private final int fields;
  private final int[] featureOfColumn; // [column] -> feature, or -1
  private final int idColumn;
  private final char[] digits = new char[64];
  private int keptStart;
  private int keptEnd;

  CsvFastPath(CsvRows format, InputSchema schema, int fields, int[] featureColumns, int idColumn) {
    this.format = format;
    this.schema = schema;
    this.fields = fields;
    this.featureOfColumn = new int[fields];
    Arrays.fill(featureOfColumn, -1);
    for (int f = 0; f < featureColumns.length; f++) {
      featureOfColumn[featureColumns[f]] = f;
    }
    this.idColumn = idColumn;
  }

  /**
   * Reads {@code line}'s first {@code length} bytes into {@code row} (card feature order).
   *
   * @return true for an ordinary line, whose output keeps bytes {@link #keptStart()} to {@link
   *     #keptEnd()} of it; false for any other, which the general path must read
   */
  boolean read(byte[] line, int length, double[] row) {
    int column = 0;
    int start = 0;
    boolean blank = true; // the general path skips a blank line
    for (int i = 0; i <= length; i++) {
      byte b = i < length ? line[i] : (byte) ',';
      blank &= b == ' ' || i == length;
      if (b == ',') {
        if (column >= fields) {
          return false;
        }
        int f = featureOfColumn[column];
        if (f >= 0 && !feature(line, start, i, f, row)) {
          return false;
        }
        if (column == idColumn) {
          keptStart = start;
          keptEnd = i;
        }
        column++;
        start = i + 1;
      } else if (b < 0x20 || b == '"') { // a control character, a quote or a byte above 0x7f
        return false;
      }
    }
    if (column != fields || blank) {
      return false;
    }
    if (idColumn < 0) {
      keptStart = 0;
      keptEnd = length;
    }
    return true;
  }

  /** Appends what the output line adds after the kept bytes, as {@link CsvRows} writes it. */
  void appendPrediction(StringBuilder out, String label, double[] probabilities) {
    format.appendPrediction(out, label, probabilities);
  }

  /** Where the text the output keeps of the last line read starts. */
  int keptStart() {
    return keptStart;
  }

  /** Where it ends (exclusive). */
  int keptEnd() {
    return keptEnd;
  }

  private boolean feature(byte[] line, int from, int to, int f, double[] row) {
    if (schema.isCategorical(f)) {
      int category =
          schema.categoryValue(f, new String(line, from, to - from, StandardCharsets.US_ASCII));
      if (category < (int) InputSchema.UNKNOWN_CATEGORY) {
        return false;
      }
      row[f] = category;
      return true;
    }
    int length = to - from;
    if (length > digits.length) {
      return false; // no CSV number is this long; the general path reads it
    }
    for (int i = 0; i < length; i++) {
      digits[i] = (char) line[from + i];
    }
    double value = Decimal.parse(digits, 0, length);
    if (!Double.isFinite(value)) {
      return false;
    }
    row[f] = value;
    return true;
  }
}
