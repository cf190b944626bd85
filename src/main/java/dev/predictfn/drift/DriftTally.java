package dev.predictfn.drift;

import dev.predictfn.bundle.FeatureSchema;
import dev.predictfn.bundle.InputSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts validated rows into each feature's training bins, one row at a time in fixed memory, and
 * reports their drift against the model card: the offline check of {@code tools drift} and of a
 * batch scoring job.
 */
public final class DriftTally {
  private final InputSchema schema;
  private final FeatureBins[] bins;
  private final long[][] counts;
  private final long[] outside;
  private long rows;

  public DriftTally(InputSchema schema) {
    this.schema = schema;
    this.bins = FeatureBins.of(schema).toArray(FeatureBins[]::new);
    this.counts = new long[bins.length][];
    for (int f = 0; f < bins.length; f++) {
      counts[f] = new long[bins[f].size()];
    }
    this.outside = new long[bins.length];
  }

  /** Counts one row, in the schema's encoding (a categorical feature's category index). */
  public void add(double[] row) {
    for (int f = 0; f < bins.length; f++) {
      FeatureBins featureBins = bins[f];
      counts[f][featureBins.bin(row[f])]++;
      if (featureBins.outOfRange(row[f])) {
        outside[f]++;
      }
    }
    rows++;
  }

  /** Rows counted so far. */
  public long rows() {
    return rows;
  }

  /** The drift of the rows counted so far (PSI 0 and no share out of range with no rows). */
  public DriftReport report(double psiThreshold, double outOfRangeThreshold) {
    List<DriftReport.FeatureDrift> features = new ArrayList<>();
    for (int f = 0; f < bins.length; f++) {
      FeatureSchema feature = schema.features().get(f);
      features.add(
          new DriftReport.FeatureDrift(
              bins[f].name(),
              feature.kind(),
              rows == 0 ? 0 : Psi.of(bins[f].expected(), counts[f]),
              rows == 0 ? 0 : (double) outside[f] / rows));
    }
    return new DriftReport(rows, features, psiThreshold, outOfRangeThreshold);
  }
}
