package dev.predictfn.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A value's bin is the first edge it does not exceed, as training, the online monitor and the drift
 * command count it: checked against that definition, a binary search, over random edges and values,
 * ties, signed zeros, infinities and NaN included.
 */
class FeatureBinTest {
  @Test
  void theBinIsTheFirstEdgeTheValueDoesNotExceed() {
    SplittableRandom random = new SplittableRandom(4);
    for (int n = 0; n < 20_000; n++) {
      double[] edges = new double[random.nextInt(12)];
      for (int e = 0; e < edges.length; e++) {
        edges[e] = Math.round(random.nextDouble() * 20 - 10) / 2.0;
      }
      Arrays.sort(edges);
      double[] values = {
        Math.round(random.nextDouble() * 24 - 12) / 2.0,
        random.nextDouble() * 24 - 12,
        0.0,
        -0.0,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        Double.NaN
      };
      for (double value : values) {
        assertEquals(
            firstNotExceeded(edges, value),
            FeatureSchema.bin(edges, value),
            Arrays.toString(edges) + " " + value);
      }
    }
  }

  private static int firstNotExceeded(double[] edges, double value) {
    int low = 0;
    int high = edges.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (value <= edges[mid]) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }
}
