package dev.predictfn.batch;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.rows.Decimal;
import java.nio.charset.StandardCharsets;

/**
 * One feature's value read from a line's ASCII bytes as the fast paths read it: a number as {@link
 * Decimal} reads it ({@code Double.parseDouble}'s bits), and finite; a category the card accepts.
 */
final class DirectValues {
  private final InputSchema schema;
  private final char[] digits = new char[64];

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
    int length = to - from;
    if (length > digits.length) {
      return false; // no number in a file is this long; the general path reads it
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

  /**
   * Puts the category named by {@code line[from..to)} into {@code row[f]}, if the card takes it.
   */
  boolean category(byte[] line, int from, int to, int f, double[] row) {
    int category =
        schema.categoryValue(f, new String(line, from, to - from, StandardCharsets.US_ASCII));
    if (category < (int) InputSchema.UNKNOWN_CATEGORY) {
      return false;
    }
    row[f] = category;
    return true;
  }
}
