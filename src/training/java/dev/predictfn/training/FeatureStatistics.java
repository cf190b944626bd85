package dev.predictfn.training;

import dev.predictfn.bundle.FeatureSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Describes each feature of the training split for the model card: numeric count, mean, standard
 * deviation, range and decile bins; categorical frequencies, with rare categories folded into
 * {@code other} when the spec asks for it.
 */
final class FeatureStatistics {
  static final double[] QUANTILES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

  private FeatureStatistics() {}

  /** The schema entry of {@code column} over the rows {@code train}. */
  static FeatureSchema describe(TrainingTable.FeatureColumn column, List<Integer> train) {
    TrainingSpec.Feature feature = column.feature();
    if (column.numeric()) {
      return new FeatureSchema(
          feature.name(),
          FeatureSchema.NUMERIC,
          feature.standardized(),
          null,
          numeric(column, train),
          null);
    }
    return new FeatureSchema(
        feature.name(),
        FeatureSchema.CATEGORICAL,
        null,
        feature.unknownPolicy(),
        null,
        categorical(column, train));
  }

  private static FeatureSchema.NumericStats numeric(
      TrainingTable.FeatureColumn column, List<Integer> train) {
    double[] values = new double[train.size()];
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      values[i] = column.numbers()[train.get(i)];
      sum += values[i];
    }
    double mean = sum / values.length;
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    double std = Math.sqrt(squares / values.length);
    if (column.feature().standardized() && !(std > 0)) {
      throw new TrainingException(
          "column "
              + column.feature().name()
              + ": constant on the training split, so it cannot be standardised");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    List<Double> edges = new ArrayList<>();
    for (double q : QUANTILES) {
      double edge = sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
      if (edges.isEmpty() || edge > edges.get(edges.size() - 1)) {
        edges.add(edge);
      }
    }
    // The top edge equal to the maximum would leave the last bin empty by construction.
    if (!edges.isEmpty() && edges.get(edges.size() - 1) == sorted[sorted.length - 1]) {
      edges.remove(edges.size() - 1);
    }
    double[] edgeArray = edges.stream().mapToDouble(Double::doubleValue).toArray();
    long[] counts = new long[edgeArray.length + 1];
    for (double v : values) {
      counts[FeatureSchema.bin(edgeArray, v)]++;
    }
    List<Double> fractions = new ArrayList<>(counts.length);
    for (long c : counts) {
      fractions.add((double) c / values.length);
    }
    return new FeatureSchema.NumericStats(
        values.length,
        mean,
        std,
        sorted[0],
        sorted[sorted.length - 1],
        List.copyOf(edges),
        List.copyOf(fractions));
  }

  private static FeatureSchema.CategoricalStats categorical(
      TrainingTable.FeatureColumn column, List<Integer> train) {
    Map<String, Long> counts = new TreeMap<>();
    for (int row : train) {
      counts.merge(column.categories()[row], 1L, Long::sum);
    }
    int minimum = column.feature().minimumCount();
    Map<String, Long> kept = new TreeMap<>();
    for (Map.Entry<String, Long> entry : counts.entrySet()) {
      String category = entry.getValue() >= minimum ? entry.getKey() : FeatureSchema.OTHER;
      kept.merge(category, entry.getValue(), Long::sum);
    }
    return new FeatureSchema.CategoricalStats(train.size(), new LinkedHashMap<>(kept));
  }

  /**
   * The category the model sees for {@code value}: itself when the card knows it, {@code other} for
   * an unknown one under {@code unknown: other}, else itself (a feature the model has no weight
   * for, so it contributes nothing), exactly as serving treats it.
   */
  static String modelCategory(FeatureSchema schema, String value) {
    if (schema.categorical().frequencies().containsKey(value)) {
      return value;
    }
    return FeatureSchema.OTHER.equals(schema.unknown()) ? FeatureSchema.OTHER : value;
  }
}
