package dev.predictfn.batch;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.rows.Decimal;

/**
 * One feature's value read from a line's ASCII bytes as the fast paths read it: a number as {@link
 * Decimal} reads it ({@code Double.parseDouble}'s bits), and finite; a category the card accepts.
 */
final class DirectValues {
  private final InputSchema schema;

  DirectValues(InputSchema schema) {
    this.schema = schema;
  }

  boolean isCategorical(int f) {
    return schema.isCategorical(f);
  }

  /**
   * Puts the number in {@code line[from..to)} into {@code row[f]}; false when it is not a plain
   * decimal with a finite value.
   */
  boolean number(byte[] line, int from, int to, int f, double[] row) {
    double value = Decimal.parse(line, from, to);
    if (!Double.isFinite(value)) {
      return false;
    }
    row[f] = value;
    return true;
  }

  /**
   * Puts the category named by {@code line[from..to)} into {@code row[f]}, if the card takes it.
   */
  boolean category(byte[] line, int from, int to, int f, double[] row) {
    int category = schema.categoryValue(f, line, from, to);
    if (category < (int) InputSchema.UNKNOWN_CATEGORY) {
      return false;
    }
    row[f] = category;
    return true;
  }
}
