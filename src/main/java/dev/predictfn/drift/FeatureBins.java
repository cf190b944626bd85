package dev.predictfn.drift;

import dev.predictfn.bundle.FeatureSchema;
import dev.predictfn.bundle.InputSchema;
import java.util.List;

/**
 * The bins of one feature that drift is measured over, with the training split's share of each.
 *
 * <p>A numeric feature uses the card's decile edges; a categorical one has a bin per known category
 * plus one for unseen categories (training share 0). Row values are the validated rows of {@link
 * InputSchema}: numbers, or category indices with {@link InputSchema#UNKNOWN_CATEGORY}.
 */
public final class FeatureBins {
  private final String name;
  private final boolean numeric;
  private final double[] edges;
  private final double[] expected;
  private final double min;
  private final double max;

  private FeatureBins(
      String name, boolean numeric, double[] edges, double[] expected, double min, double max) {
    this.name = name;
    this.numeric = numeric;
    this.edges = edges;
    this.expected = expected;
    this.min = min;
    this.max = max;
  }

  /** The bins of {@code feature}. */
  public static FeatureBins of(FeatureSchema feature) {
    if (feature.isNumeric()) {
      FeatureSchema.NumericStats stats = feature.numeric();
      double[] edges = stats.binEdges().stream().mapToDouble(Double::doubleValue).toArray();
      double[] expected = stats.binFractions().stream().mapToDouble(Double::doubleValue).toArray();
      return new FeatureBins(feature.name(), true, edges, expected, stats.min(), stats.max());
    }
    FeatureSchema.CategoricalStats stats = feature.categorical();
    List<Long> counts = List.copyOf(stats.frequencies().values());
    double[] expected = new double[counts.size() + 1];
    for (int c = 0; c < counts.size(); c++) {
      expected[c] = (double) counts.get(c) / stats.count();
    }
    return new FeatureBins(feature.name(), false, new double[0], expected, 0, counts.size() - 1);
  }

  /** The bins of every feature of {@code schema}, in row order. */
  public static List<FeatureBins> of(InputSchema schema) {
    return schema.features().stream().map(FeatureBins::of).toList();
  }

  /** The feature name. */
  public String name() {
    return name;
  }

  /** Whether the feature is numeric. */
  public boolean numeric() {
    return numeric;
  }

  /** Number of bins. */
  public int size() {
    return expected.length;
  }

  /** The training split's share of each bin. */
  public double[] expected() {
    return expected.clone();
  }

  /** The bin of a row value. */
  public int bin(double value) {
    if (numeric) {
      return FeatureSchema.bin(edges, value);
    }
    return value < 0 ? expected.length - 1 : (int) value;
  }

  /**
   * Whether a row value lies outside what training saw: beyond its range, or an unseen category.
   */
  public boolean outOfRange(double value) {
    return numeric ? value < min || value > max : value < 0;
  }
}
