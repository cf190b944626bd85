package dev.predictfn.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

/**
 * {@link DecimalText} writes what {@code Double.toString} writes since JDK 19: checked against the
 * JDK itself when the test runs on one (.ci/run runs this class on the image's JDK 25 too), and on
 * every JDK against a slow reference that follows the JDK 19 javadoc's definition with exact {@link
 * BigDecimal} arithmetic. The doubles: every kind of bit pattern, the probabilities a softmax
 * gives, the edges (subnormals, powers of two and ten, the plain and scientific layouts' bounds).
 */
class DecimalTextTest {
  private static final int RANDOM_DOUBLES = 2_000_000;

  @Test
  void writesWhatTheJdk19DefinitionGivesForEveryKindOfDouble() {
    List<Double> doubles = samples(200_000);
    for (double value : doubles) {
      assertEquals(
          reference(value), written(value), () -> "bits " + Double.doubleToRawLongBits(value));
    }
  }

  @Test
  void writesWhatThisJdksDoubleToStringWrites() {
    assertEquals(Runtime.version().feature() >= 19, DecimalText.SAME_AS_THIS_JVM);
    assumeTrue(
        DecimalText.SAME_AS_THIS_JVM,
        "this JDK's Double.toString is the old one (longer digits for some doubles, JDK-4511638):"
            + " the reference test is the proof here, and .ci/run runs this class on JDK 25 too");
    List<Double> doubles = samples(RANDOM_DOUBLES);
    for (double value : doubles) {
      assertEquals(Double.toString(value), written(value));
    }
  }

  @Test
  void theReferenceFollowsTheDefinitionWhereTheOldJdkDidNot() {
    // JDK 17's Double.toString gives 1.9999999999999998E23, 9.999999999999999E22 and 1.0E-323
    // for the first three (JDK-4511638); the definition, the reference and the writer agree.
    assertEquals("2.0E23", reference(2.0E23));
    assertEquals("1.0E23", reference(1.0E23));
    assertEquals("9.9E-324", reference(2 * Double.MIN_VALUE));
    assertEquals("2.0E23", written(2.0E23));
    assertEquals("1.0E23", written(1.0E23));
    assertEquals("4.9E-324", written(Double.MIN_VALUE));
    assertEquals("9.9E-324", written(2 * Double.MIN_VALUE));
    assertEquals("1.7976931348623157E308", written(Double.MAX_VALUE));
    assertEquals("-2.2250738585072014E-308", written(-Double.MIN_NORMAL));
    assertTrue(written(-Double.MIN_NORMAL).length() <= DecimalText.MAX_LENGTH);
  }

  @Test
  void writesNumbersWithFewDecimalsAsTheGeneralWriterDoes() {
    List<Double> doubles = samples(200_000);
    List<Double> few = fewDecimals(200_000);
    for (double value : few.subList(0, 20_000)) {
      assertEquals(reference(value), writtenShort(value), () -> "value " + value);
    }
    doubles.addAll(few);
    for (double value : doubles) {
      assertEquals(
          written(value), writtenShort(value), () -> "bits " + Double.doubleToRawLongBits(value));
    }
    assertEquals("5.1", writtenShort(5.1));
    assertEquals("-0.001", writtenShort(-0.001));
    assertEquals("1200.0", writtenShort(1200));
    assertEquals("9999999.999", writtenShort(9999999.999));
    assertEquals("1.0E7", writtenShort(1.0E7));
  }

  /** Decimals of up to 11 digits with 0 to 5 after the point, either sign, as parsed. */
  private static List<Double> fewDecimals(int count) {
    SplittableRandom random = new SplittableRandom(5);
    List<Double> doubles = new ArrayList<>();
    DoubleStream.of(0.001, 0.0015, 0.0009, 9999999.999, 9999999.9995, 1.0E7, 0.1, 0.7, 2.675)
        .forEach(doubles::add);
    for (int i = 0; i < count; i++) {
      long digits = random.nextLong((long) Math.pow(10, 1 + random.nextInt(11)));
      double value = Double.parseDouble(digits + "E-" + random.nextInt(6));
      doubles.add(random.nextBoolean() ? value : -value);
    }
    return doubles;
  }

  private static String writtenShort(double value) {
    byte[] bytes = new byte[2 + DecimalText.MAX_LENGTH];
    int end = DecimalText.writeShort(value, bytes, 2);
    return new String(bytes, 2, end - 2, StandardCharsets.US_ASCII);
  }

  /** Written two bytes into an array with exactly the room the writer asks for after them. */
  private static String written(double value) {
    byte[] bytes = new byte[2 + DecimalText.MAX_LENGTH];
    int end = DecimalText.write(value, bytes, 2);
    return new String(bytes, 2, end - 2, StandardCharsets.US_ASCII);
  }

  private static List<Double> samples(int randomCount) {
    SplittableRandom random = new SplittableRandom(19);
    List<Double> doubles = new ArrayList<>();
    DoubleStream.of(
            0.0,
            -0.0,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE,
            2 * Double.MIN_VALUE,
            3 * Double.MIN_VALUE,
            Double.MIN_NORMAL,
            Math.nextDown(Double.MIN_NORMAL),
            Double.MAX_VALUE,
            1.0,
            0.5,
            1.0E7,
            Math.nextDown(1.0E7),
            1.0E-3,
            Math.nextDown(1.0E-3),
            9999999.999999999,
            1.0E23,
            2.0E23,
            9007199254740993.0,
            0.1,
            0.2,
            0.30000000000000004)
        .forEach(doubles::add);
    for (int e = -1074; e <= 1023; e++) {
      double power = Math.scalb(1.0, e);
      doubles.add(power);
      doubles.add(Math.nextUp(power));
      doubles.add(Math.nextDown(power));
    }
    for (int e = -325; e <= 309; e++) {
      double power = Double.parseDouble("1e" + e);
      doubles.add(power);
      doubles.add(Math.nextUp(power));
      doubles.add(Math.nextDown(power));
    }
    for (int i = 0; i < randomCount; i++) {
      switch (i % 5) {
        case 0 -> doubles.add(Double.longBitsToDouble(random.nextLong())); // any bits
        case 1 -> doubles.add(random.nextDouble()); // a probability
        case 2 -> doubles.add(Math.exp(-random.nextDouble() * 40)); // a softmax's small ones
        case 3 -> doubles.add((double) random.nextLong(1L << 53)); // an integer, up to 16 digits
        default -> doubles.add((double) random.nextInt(1 << 20) / (1 << random.nextInt(12)));
      }
    }
    return doubles;
  }

  /**
   * JDK 19's javadoc for Double.toString, with exact arithmetic: of the decimals that round to the
   * value, those of the least length m (of length 1 or 2 when m is 1); of those the closest, then
   * the one with the even last digit; laid out plain from 10^-3 to 10^7, else as d.ddddE[-]n.
   */
  private static String reference(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    if (value == 0) {
      return Double.doubleToRawLongBits(value) == 0 ? "0.0" : "-0.0";
    }
    String sign = value < 0 ? "-" : "";
    double v = Math.abs(value);
    BigDecimal exact = new BigDecimal(v);
    BigDecimal halfUlpBelow =
        exact.subtract(new BigDecimal(Math.nextDown(v))).divide(BigDecimal.valueOf(2));
    BigDecimal halfUlpAbove =
        v == Double.MAX_VALUE
            ? new BigDecimal(Math.ulp(v)).divide(BigDecimal.valueOf(2))
            : new BigDecimal(Math.nextUp(v)).subtract(exact).divide(BigDecimal.valueOf(2));
    BigDecimal low = exact.subtract(halfUlpBelow);
    BigDecimal high = exact.add(halfUlpAbove);
    boolean ends = (Double.doubleToRawLongBits(v) & 1) == 0; // round half even reaches the ends
    BigDecimal best = null;
    for (int length = 1; length <= 17 && best == null; length++) {
      List<BigDecimal> in = new ArrayList<>();
      for (int n = length; n <= (length == 1 ? 2 : length); n++) {
        for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
          BigDecimal candidate = exact.round(new MathContext(n, mode));
          int fromLow = candidate.compareTo(low);
          int toHigh = candidate.compareTo(high);
          if ((fromLow > 0 || ends && fromLow == 0) && (toHigh < 0 || ends && toHigh == 0)) {
            in.add(candidate);
          }
        }
      }
      for (BigDecimal candidate : in) {
        if (best == null) {
          best = candidate;
          continue;
        }
        int closer = candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs());
        if (closer < 0 || closer == 0 && lastDigitEven(candidate) && !lastDigitEven(best)) {
          best = candidate;
        }
      }
    }
    BigDecimal d = best.stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int exponent = digits.length() - d.scale(); // d = 0.digits * 10^exponent
    if (0 < exponent && exponent <= 7) {
      String whole =
          digits.length() <= exponent
              ? digits + "0".repeat(exponent - digits.length())
              : digits.substring(0, exponent);
      String fraction = digits.length() <= exponent ? "0" : digits.substring(exponent);
      return sign + whole + "." + fraction;
    }
    if (-3 < exponent && exponent <= 0) {
      return sign + "0." + "0".repeat(-exponent) + digits;
    }
    String fraction = digits.length() == 1 ? "0" : digits.substring(1);
    return sign + digits.charAt(0) + "." + fraction + "E" + (exponent - 1);
  }

  private static boolean lastDigitEven(BigDecimal decimal) {
    return decimal.unscaledValue().testBit(0) == false;
  }
}
