package dev.predictfn.rows;

import java.nio.charset.StandardCharsets;

/**
 * Plain decimals read as {@link Double#parseDouble} reads them, bit for bit, without a string or
 * chars: up to 15 significant digits and a power of ten up to 22 are one exact division or
 * multiplication of two exactly represented doubles, so correctly rounded (Clinger's fast path);
 * longer ones go to {@code Double.parseDouble} itself. For the numbers of CSV files and JSON
 * bodies, read by the millions.
 */
public final class Decimal {
  private static final double[] POWERS = new double[23];

  static {
    POWERS[0] = 1;
    for (int i = 1; i < POWERS.length; i++) {
      POWERS[i] = POWERS[i - 1] * 10;
    }
  }

  private Decimal() {}

  /**
   * The plain decimal in the ASCII bytes {@code text[from..to)} ({@code
   * [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?}, which JSON's numbers are), as {@link
   * Double#parseDouble} reads it; NaN when it is not one.
   */
  public static double parse(byte[] text, int from, int to) {
    // The common shape first, digits with a point or none and at most 15 digits: an exact
    // mantissa and one correctly rounded division, as parseAny would do, in a body small enough
    // for the JIT to inline into the caller's loop (parseAny is too large for that).
    if (to - from <= 16) {
      long mantissa = 0;
      int point = -1;
      int i = from;
      for (; i < to; i++) {
        int digit = text[i] - '0';
        if (digit >= 0 && digit <= 9) {
          mantissa = mantissa * 10 + digit;
        } else if (text[i] == '.' && point < 0) {
          point = i;
        } else {
          break;
        }
      }
      int digits = point < 0 ? to - from : to - from - 1;
      if (i == to && digits > 0 && digits <= 15) {
        return mantissa / POWERS[point < 0 ? 0 : to - point - 1];
      }
    }
    return parseAny(text, from, to);
  }

  /**
   * {@code mantissa / 10^fraction}, correctly rounded, so the double that parsing its decimal
   * gives: for a mantissa of at most 15 digits and {@code fraction} from 0 to 15, both exact
   * doubles.
   */
  static double scaled(long mantissa, int fraction) {
    return mantissa / POWERS[fraction];
  }

  /** {@link #parse} of any plain decimal: a sign, many digits, an exponent. */
  private static double parseAny(byte[] text, int from, int to) {
    int i = from;
    boolean negative = false;
    if (i < to && (text[i] == '-' || text[i] == '+')) {
      negative = text[i] == '-';
      i++;
    }
    long mantissa = 0;
    int significant = 0; // digits in mantissa, leading zeros not counted
    int scale = 0; // the power of ten the mantissa is to be multiplied by
    int digits = 0;
    boolean exact = true;
    for (; i < to && isDigit(text[i]); i++, digits++) {
      if (significant < 18) {
        mantissa = mantissa * 10 + (text[i] - '0');
        significant += mantissa == 0 ? 0 : 1;
      } else {
        exact = false;
        scale++;
      }
    }
    if (i < to && text[i] == '.') {
      for (i++; i < to && isDigit(text[i]); i++, digits++) {
        if (significant < 18) {
          mantissa = mantissa * 10 + (text[i] - '0');
          significant += mantissa == 0 ? 0 : 1;
          scale--;
        } else {
          exact = false;
        }
      }
    }
    if (digits == 0) {
      return Double.NaN;
    }
    if (i < to && (text[i] == 'e' || text[i] == 'E')) {
      i++;
      boolean negativeExponent = false;
      if (i < to && (text[i] == '-' || text[i] == '+')) {
        negativeExponent = text[i] == '-';
        i++;
      }
      int exponentDigits = 0;
      int exponent = 0;
      for (; i < to && isDigit(text[i]); i++, exponentDigits++) {
        if (exponent < 100_000) {
          exponent = exponent * 10 + (text[i] - '0');
        } else {
          exact = false;
        }
      }
      if (exponentDigits == 0) {
        return Double.NaN;
      }
      scale += negativeExponent ? -exponent : exponent;
    }
    if (i != to) {
      return Double.NaN;
    }
    if (exact && significant <= 15 && scale >= -22 && scale <= 22) {
      double value = scale < 0 ? mantissa / POWERS[-scale] : mantissa * POWERS[scale];
      return negative ? -value : value;
    }
    return Double.parseDouble(new String(text, from, to - from, StandardCharsets.ISO_8859_1));
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }
}
