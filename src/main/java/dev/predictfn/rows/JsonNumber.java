package dev.predictfn.rows;

/**
 * A JSON number read in one pass over its bytes: where it ends and its value, as {@link
 * JsonBytes#number} and {@link JsonBytes#numberValue} give them, bit for bit. The common shape, an
 * optional minus and at most 15 digits with or without a fraction, is summed as it is scanned and
 * divided once, as {@link Decimal} reads it; a longer number or one with an exponent is read again
 * by those two methods. One reader for one thread's loop: it keeps the value it read last.
 */
public final class JsonNumber {
  private static final int EXACT_DIGITS = 15;

  private double value;

  /**
   * Reads the JSON number ({@code -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?}) at {@code from}, below
   * {@code end}.
   *
   * @return where it ends, with its value in {@link #value}; -1 when none starts there
   */
  public int read(byte[] json, int from, int end) {
    int i = from;
    boolean negative = i < end && json[i] == '-';
    if (negative) {
      i++;
    }
    int first = i;
    long mantissa = 0;
    if (i < end && json[i] == '0') {
      i++;
    } else {
      for (; i < end && json[i] >= '0' && json[i] <= '9'; i++) {
        mantissa = mantissa * 10 + (json[i] - '0');
      }
      if (i == first) {
        return -1;
      }
    }
    int whole = i - first;
    int fraction = 0;
    if (i < end && json[i] == '.') {
      int start = ++i;
      for (; i < end && json[i] >= '0' && json[i] <= '9'; i++) {
        mantissa = mantissa * 10 + (json[i] - '0');
      }
      fraction = i - start;
      if (fraction == 0) {
        return -1;
      }
    }
    if (whole + fraction > EXACT_DIGITS || i < end && (json[i] == 'e' || json[i] == 'E')) {
      int to = JsonBytes.number(json, from, end);
      if (to >= 0) {
        value = JsonBytes.numberValue(json, from, to);
      }
      return to;
    }
    double magnitude = Decimal.scaled(mantissa, fraction);
    // Jackson reads an integer's -0 as +0, and a fraction's as -0.0.
    value = !negative ? magnitude : mantissa == 0 && fraction == 0 ? 0.0 : -magnitude;
    return i;
  }

  /** The value of the number {@link #read} read last. */
  public double value() {
    return value;
  }
}
