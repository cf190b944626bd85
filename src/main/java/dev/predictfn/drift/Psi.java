package dev.predictfn.drift;

/**
 * Population stability index: {@code sum((actual - expected) * ln(actual / expected))} over bins,
 * each share floored at {@value #FLOOR} so an empty bin counts as rare rather than infinite.
 *
 * <p>Rule of thumb: below 0.1 no shift, 0.1 to 0.2 a moderate one, above 0.2 a shift that changes
 * what the model sees.
 */
public final class Psi {
  static final double FLOOR = 1e-4;

  private Psi() {}

  /** The PSI of {@code counts} (live rows per bin) against the {@code expected} shares. */
  public static double of(double[] expected, long[] counts) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return Double.NaN;
    }
    double psi = 0;
    for (int i = 0; i < expected.length; i++) {
      double e = Math.max(expected[i], FLOOR);
      double a = Math.max((double) counts[i] / total, FLOOR);
      psi += (a - e) * Math.log(a / e);
    }
    return psi;
  }
}
