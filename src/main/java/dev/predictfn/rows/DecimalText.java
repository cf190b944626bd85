package dev.predictfn.rows;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;

/**
 * A double written as ASCII bytes exactly as {@link Double#toString(double)} writes it since JDK
 * 19: the shortest decimal that reads back as the same double (closest to it, then even, when
 * several are as short), found with Giulietti's Schubfach method, and laid out plainly from 10^-3
 * to 10^7 and in computerized scientific notation outside. Straight into a byte array, with no
 * String and no chars: for the probabilities of the score mode's output lines, written by the
 * millions.
 *
 * <p>An earlier JDK's {@code Double.toString} gives longer digits for some doubles, so callers that
 * must write what {@code Double.toString} writes use this only where {@link #SAME_AS_THIS_JVM}.
 */
public final class DecimalText {
  /** Whether this JVM's {@link Double#toString(double)} writes what {@link #write} writes. */
  public static final boolean SAME_AS_THIS_JVM = Runtime.version().feature() >= 19;

  /** The most bytes one double takes: {@code -2.2250738585072014E-308}. */
  public static final int MAX_LENGTH = 24;

  private static final int Q_MIN = -1074; // the binary exponent of Double.MIN_VALUE
  private static final long C_MIN = 1L << 52; // the smallest normal significand
  private static final long C_TINY = 3; // significands below it need one more digit (10 * c)
  private static final int K_MIN = -324;
  private static final int K_MAX = 292;
  private static final long MASK_63 = Long.MAX_VALUE;
  private static final byte[] INFINITY = {'I', 'n', 'f', 'i', 'n', 'i', 't', 'y'};
  private static final byte[] NAN = {'N', 'a', 'N'};
  private static final long ASCII_ZEROS = 0x3030_3030_3030_3030L;
  private static final double[] TENS = {1, 10, 100, 1000};
  private static final VarHandle EIGHT_BYTES =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private DecimalText() {}

  /**
   * Writes {@code value} into {@code to} from {@code at}, which has room for {@link #MAX_LENGTH}
   * bytes, and answers where its text ends.
   */
  public static int write(double value, byte[] to, int at) {
    long bits = Double.doubleToRawLongBits(value);
    long t = bits & (C_MIN - 1);
    int bq = (int) (bits >>> 52) & 0x7ff;
    if (bq == 0x7ff) {
      if (t != 0) {
        return copy(NAN, to, at);
      }
      if (bits < 0) {
        to[at++] = '-';
      }
      return copy(INFINITY, to, at);
    }
    if (bits < 0) {
      to[at++] = '-';
    }
    if (bq != 0) {
      int mq = -Q_MIN + 1 - bq; // minus the binary exponent of c
      long c = C_MIN | t;
      if (0 < mq && mq < 53) {
        long f = c >> mq;
        if (f << mq == c) { // an integer below 2^53: its digits are the shortest
          return digits(f, 0, to, at);
        }
      }
      return shortest(-mq, c, 0, to, at);
    }
    if (t == 0) {
      to[at] = '0';
      to[at + 1] = '.';
      to[at + 2] = '0';
      return at + 3;
    }
    return t < C_TINY ? shortest(Q_MIN, 10 * t, -1, to, at) : shortest(Q_MIN, t, 0, to, at);
  }

  /**
   * Writes {@code value} as {@link #write} does, quicker when it lies from 10^-3 to 10^7 with at
   * most three digits after the point, as a row's features read from text mostly do, and a little
   * slower otherwise (it tries those first).
   *
   * <p>Below 10^7 a double's rounding interval is narrower than 2^-29, so at most one decimal with
   * three digits or fewer after the point reads back as it: the first found, with the fewest
   * digits, is the shortest decimal, which {@link #write} writes. {@code n / 10^k} is the double
   * nearest to the decimal {@code n * 10^-k}, as parsing it gives, because both are exact doubles
   * and division rounds correctly.
   */
  public static int writeShort(double value, byte[] to, int at) {
    double magnitude = Math.abs(value);
    if (magnitude >= 1e-3 && magnitude < 1e7) {
      for (int k = 0; k < TENS.length; k++) {
        long n = (long) Math.rint(magnitude * TENS[k]);
        if (n / TENS[k] == magnitude) {
          if (value < 0) {
            to[at++] = '-';
          }
          return plain(n, k, to, at);
        }
      }
    }
    return write(value, to, at);
  }

  /**
   * Writes {@code n * 10^-k} plainly, with {@code k} digits after the point (a 0 when there are
   * none). The first {@code k} that {@link #writeShort} finds leaves no trailing zero.
   */
  private static int plain(long n, int k, byte[] to, int at) {
    long scale = (long) TENS[k];
    long whole = n / scale;
    long fraction = n % scale;
    int point = at + (whole == 0 ? 1 : length(whole));
    int end = point + 1 + Math.max(k, 1);
    for (int i = point - 1; i >= at; i--) {
      to[i] = (byte) ('0' + whole % 10);
      whole /= 10;
    }
    to[point] = '.';
    to[point + 1] = '0';
    for (int i = end - 1; i > point && k > 0; i--) {
      to[i] = (byte) ('0' + fraction % 10);
      fraction /= 10;
    }
    return end;
  }

  /**
   * The shortest decimal of {@code c * 2^q} (a double's significand and exponent), written. The
   * rounding interval's ends and the value are scaled by 4 and multiplied by 10^-k, the power of
   * ten that leaves one or two decimals in it, each with one 128-bit product (Schubfach: Giulietti,
   * "The Schubfach way to render doubles", 2020).
   */
  private static int shortest(int q, long c, int dk, byte[] to, int at) {
    int out = (int) c & 1; // an even significand's interval includes its ends
    long cb = c << 2;
    long cbr = cb + 2;
    long cbl;
    int k;
    if (c != C_MIN || q == Q_MIN) {
      cbl = cb - 2;
      k = floorLog10Pow2(q);
    } else { // a power of two: the gap below it is half the gap above
      cbl = cb - 1;
      k = floorLog10ThreeQuartersPow2(q);
    }
    int h = q + floorLog2Pow10(-k) + 2;
    long g1 = Powers.G1[k - K_MIN];
    long g0 = Powers.G0[k - K_MIN];
    long vb = roundToOdd(g1, g0, cb << h);
    long vbl = roundToOdd(g1, g0, cbl << h);
    long vbr = roundToOdd(g1, g0, cbr << h);
    long s = vb >> 2;
    if (s >= 100) { // one digit fewer, when one of its neighbours lies in the interval
      long sp10 = s / 10 * 10;
      long tp10 = sp10 + 10;
      boolean upIn = vbl + out <= sp10 << 2;
      boolean wpIn = (tp10 << 2) + out <= vbr;
      if (upIn != wpIn) {
        return digits(upIn ? sp10 : tp10, k, to, at);
      }
    }
    long u = s + 1;
    boolean uIn = vbl + out <= s << 2;
    boolean wIn = (u << 2) + out <= vbr;
    if (uIn != wIn) {
      return digits(uIn ? s : u, k + dk, to, at);
    }
    long cmp = vb - (s + u << 1); // both in: the closer, and the even one on a tie
    return digits(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : u, k + dk, to, at);
  }

  /** The high 64 bits of the 126-bit {@code g} times {@code cp}, rounded to odd. */
  private static long roundToOdd(long g1, long g0, long cp) {
    long x1 = Math.multiplyHigh(g0, cp);
    long y0 = g1 * cp;
    long y1 = Math.multiplyHigh(g1, cp);
    long z = (y0 >>> 1) + x1;
    long vbp = y1 + (z >>> 63);
    return vbp | (z & MASK_63) + MASK_63 >>> 63;
  }

  /**
   * Writes {@code f * 10^e} as {@code Double.toString} lays it out: without trailing zeros, at
   * least one digit after the point, plain when the value is at least 10^-3 and below 10^7, else as
   * {@code d.dddE[-]n}. The digits are f's padded with zeros to 17, one digit and two blocks of
   * eight, each block written as one long; the bytes past the last significant digit that this
   * writes are within {@link #MAX_LENGTH} and are not part of the text.
   */
  private static int digits(long f, int e, byte[] to, int at) {
    int length = length(f);
    int exponent = e + length; // the value is 0.(f's digits) * 10^exponent
    if (length > 17) { // 10^17, as tp10 could be: a multiple of ten
      f /= 10;
      length = 17;
    }
    long padded = f * Powers.TEN[17 - length];
    long upper = padded / 100_000_000;
    int first = (int) (upper / 100_000_000);
    long middle = eight((int) (upper - first * 100_000_000L));
    long last = eight((int) (padded - upper * 100_000_000));
    int significant; // f's digits without its trailing zeros
    if (last != 0) {
      significant = 17 - (Long.numberOfLeadingZeros(last) >>> 3);
    } else if (middle != 0) {
      significant = 9 - (Long.numberOfLeadingZeros(middle) >>> 3);
    } else {
      significant = 1;
    }
    if (-3 < exponent && exponent <= 0) { // 0.00ddd
      to[at] = '0';
      to[at + 1] = '.';
      to[at + 2] = '0';
      to[at + 3] = '0';
      at += 2 - exponent;
      seventeen(first, middle, last, to, at);
      return at + significant;
    }
    if (0 < exponent && exponent <= 7) { // ddd.ddd, and ddd.0
      seventeen(first, middle, last, to, at);
      if (significant <= exponent) { // the padding's zeros are the integer's
        to[at + exponent] = '.';
        to[at + exponent + 1] = '0';
        return at + exponent + 2;
      }
      System.arraycopy(to, at + exponent, to, at + exponent + 1, significant - exponent);
      to[at + exponent] = '.';
      return at + significant + 1;
    }
    seventeen(first, middle, last, to, at + 1); // d.dddE[-]n
    to[at] = to[at + 1];
    to[at + 1] = '.';
    at += significant == 1 ? 3 : significant + 1; // d.0 when one digit
    to[at++] = 'E';
    int power = exponent - 1;
    if (power < 0) {
      to[at++] = '-';
      power = -power;
    }
    if (power >= 100) {
      to[at++] = (byte) ('0' + power / 100);
      power %= 100;
      to[at++] = (byte) ('0' + power / 10);
    } else if (power >= 10) {
      to[at++] = (byte) ('0' + power / 10);
    }
    to[at++] = (byte) ('0' + power % 10);
    return at;
  }

  /** Writes the 17 digits: {@code first}, then the two blocks of {@link #eight}. */
  private static void seventeen(int first, long middle, long last, byte[] to, int at) {
    to[at] = (byte) ('0' + first);
    EIGHT_BYTES.set(to, at + 1, middle + ASCII_ZEROS);
    EIGHT_BYTES.set(to, at + 9, last + ASCII_ZEROS);
  }

  /**
   * The eight decimal digits of {@code n} (below 10^8, with leading zeros), one in each byte of a
   * long, the first in the lowest: split into halves of four, quarters of two and single digits,
   * all lanes at once, dividing by multiplying (x * 10486 >>> 20 is x / 100 below 10^4, x * 103 >>>
   * 10 is x / 10 below 100). Its trailing zeros are its high zero bytes.
   */
  private static long eight(int n) {
    int high = n / 10_000;
    long halves = high | (long) (n - high * 10_000) << 32;
    long hundreds = (halves * 10486 >>> 20) & 0x0000_007F_0000_007FL;
    long quarters = hundreds | (halves - hundreds * 100) << 16;
    long tens = (quarters * 103 >>> 10) & 0x000F_000F_000F_000FL;
    return tens | (quarters - tens * 10) << 8;
  }

  /** How many decimal digits {@code f}, positive and below 10^18, has. */
  private static int length(long f) {
    int length = floorLog10Pow2(64 - Long.numberOfLeadingZeros(f));
    return f >= Powers.TEN[length] ? length + 1 : length;
  }

  private static int copy(byte[] text, byte[] to, int at) {
    System.arraycopy(text, 0, to, at, text.length);
    return at + text.length;
  }

  /** floor(log10(2^e)), for |e| up to about 5,000. */
  private static int floorLog10Pow2(int e) {
    return (int) (e * 661_971_961_083L >> 41);
  }

  /** floor(log10(3/4 * 2^e)). */
  private static int floorLog10ThreeQuartersPow2(int e) {
    return (int) (e * 661_971_961_083L - 274_743_187_321L >> 41);
  }

  /** floor(log2(10^e)). */
  private static int floorLog2Pow10(int e) {
    return (int) (e * 913_124_641_741L >> 38);
  }

  /**
   * The powers of ten the method multiplies by: for each k from -324 to 292, g = floor(10^-k / 2^r)
   * + 1, with r such that 2^125 <= g < 2^126, as its high and low 63 bits; computed once, on first
   * use.
   */
  private static final class Powers {
    static final long[] G1 = new long[K_MAX - K_MIN + 1];
    static final long[] G0 = new long[K_MAX - K_MIN + 1];
    static final long[] TEN = new long[19];

    static {
      BigInteger low63 = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
      for (int k = K_MIN; k <= K_MAX; k++) {
        int r = floorLog2Pow10(-k) - 125;
        BigInteger g;
        if (k <= 0) {
          BigInteger power = BigInteger.TEN.pow(-k);
          g = r >= 0 ? power.shiftRight(r) : power.shiftLeft(-r);
        } else {
          g = BigInteger.ONE.shiftLeft(-r).divide(BigInteger.TEN.pow(k));
        }
        g = g.add(BigInteger.ONE);
        G1[k - K_MIN] = g.shiftRight(63).longValueExact();
        G0[k - K_MIN] = g.and(low63).longValueExact();
      }
      TEN[0] = 1;
      for (int i = 1; i < TEN.length; i++) {
        TEN[i] = TEN[i - 1] * 10;
      }
    }
  }
}
