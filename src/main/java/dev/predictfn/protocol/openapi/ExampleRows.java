package dev.predictfn.protocol.openapi;

import dev.predictfn.bundle.FeatureSchema;
import dev.predictfn.bundle.ModelCard;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Example rows for a model, made from its card's training statistics, so the examples a client is
 * shown are valid for the model that serves: row {@code i} takes each numeric feature's value at an
 * increasing quantile of the training split (from its decile edges) and each categorical feature's
 * {@code i}-th most frequent category.
 */
final class ExampleRows {
  private ExampleRows() {}

  /** {@code count} rows, each a map of feature name to value in the card's feature order. */
  static List<Map<String, Object>> of(ModelCard card, int count) {
    List<Map<String, Object>> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (FeatureSchema feature : card.schema()) {
        row.put(feature.name(), value(feature, i, count));
      }
      rows.add(row);
    }
    return rows;
  }

  /** Whether every feature is numeric (the Open Inference Protocol takes numeric tensors only). */
  static boolean allNumeric(ModelCard card) {
    return card.schema().stream().allMatch(f -> f.categorical() == null);
  }

  private static Object value(FeatureSchema feature, int i, int count) {
    if (feature.categorical() != null) {
      List<String> categories =
          feature.categorical().frequencies().entrySet().stream()
              .sorted(
                  Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                      .thenComparing(Map.Entry.comparingByKey()))
              .map(Map.Entry::getKey)
              .toList();
      return categories.get(i % categories.size());
    }
    FeatureSchema.NumericStats stats = feature.numeric();
    List<Double> edges = stats.binEdges();
    double value =
        edges == null || edges.isEmpty()
            ? stats.mean()
            : edges.get((int) ((i + 1L) * (edges.size() - 1) / (count + 1)));
    return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).doubleValue();
  }
}
