package dev.predictfn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.predictfn.support.Bundles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every finite row either gets probabilities that sum to 1, with the most probable label predicted,
 * or an {@link UnscorableRowException} naming the row: never NaN, an infinite figure or another
 * exception. Validation lets any finite double through, so rows here span the whole double range
 * (the fuzzer found the overflow at 1e308; a mutating fuzzer rarely reaches such magnitudes).
 */
class PredictorExtremeValuesTest {
  private static final Predictor PREDICTOR = new Predictor(Bundles.readBuiltIn());
  private static final double[] EXTREMES = {
    0.0,
    -0.0,
    Double.MIN_VALUE,
    -Double.MIN_NORMAL,
    1e-300,
    5.1,
    -7.9,
    1e15,
    -1e150,
    1e300,
    Double.MAX_VALUE,
    -Double.MAX_VALUE
  };

  @Test
  void everyCombinationOfExtremeValuesIsScoredOrRejectedByRow() {
    int rejected = 0;
    int n = EXTREMES.length;
    for (int i = 0; i < n * n * n * n; i++) {
      double[] row = {
        EXTREMES[i % n], EXTREMES[i / n % n], EXTREMES[i / n / n % n], EXTREMES[i / n / n / n]
      };
      rejected += scoreOrReject(row) ? 0 : 1;
    }
    // Both outcomes occur, so neither branch of the property is vacuous.
    assertTrue(rejected > 0 && rejected < n * n * n * n, "rejected " + rejected);
  }

  @Test
  void randomRowsAcrossTheWholeDoubleRangeAreScoredOrRejected() {
    SplittableRandom random = new SplittableRandom(20261122);
    for (int i = 0; i < 20_000; i++) {
      double[] row = new double[4];
      for (int f = 0; f < row.length; f++) {
        // Uniform in the exponent, so 1e-300 and 1e300 are as likely as 1.
        row[f] = (random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextDouble(-308, 308.25));
      }
      scoreOrReject(row);
    }
  }

  @Test
  void aBatchNamesTheFirstRowItCannotScore() {
    List<double[]> rows = new ArrayList<>();
    rows.add(new double[] {5.1, 3.5, 1.4, 0.2});
    rows.add(new double[] {6.7, 3.0, 5.2, 2.3});
    rows.add(new double[] {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE, 0});
    rows.add(new double[] {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, 0});
    try {
      PREDICTOR.predictAll(rows);
      fail("a row that overflows was scored");
    } catch (UnscorableRowException e) {
      assertEquals(2, e.row());
    }
    try {
      PREDICTOR.explainAll(rows);
      fail("a row that overflows was explained");
    } catch (UnscorableRowException e) {
      assertEquals(2, e.row());
    }
  }

  /** True when {@code row} was scored properly, false when it was rejected as unscorable. */
  private static boolean scoreOrReject(double[] row) {
    PredictionResult result;
    try {
      result = PREDICTOR.explainAll(List.of(row)).get(0);
    } catch (UnscorableRowException e) {
      assertEquals(0, e.row());
      return false;
    }
    double sum = 0;
    double best = -1;
    for (Map.Entry<String, Double> p : result.probabilities().entrySet()) {
      assertTrue(p.getValue() >= 0 && p.getValue() <= 1, p + " for " + Arrays.toString(row));
      sum += p.getValue();
      best = Math.max(best, p.getValue());
    }
    assertEquals(1.0, sum, 1e-9, "probabilities of " + Arrays.toString(row));
    assertEquals(
        best, result.probabilities().get(result.label()), "argmax of " + Arrays.toString(row));
    assertTrue(Double.isFinite(result.explanation().score()), Arrays.toString(row));
    return true;
  }
}
