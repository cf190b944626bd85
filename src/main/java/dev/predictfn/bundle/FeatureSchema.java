package dev.predictfn.bundle;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.annotation.Nullable;
import java.util.List;
import java.util.Map;

/**
 * One input feature in a model card: its kind, how it is encoded, and its statistics on the
 * training split, which request validation and drift monitoring compare live inputs with.
 *
 * @param name the feature (CSV column and request field) name
 * @param kind {@value #NUMERIC} or {@value #CATEGORICAL}
 * @param standardize numeric: whether the model sees {@code (x - mean) / std}
 * @param unknown categorical: {@value #REJECT} (a request with an unseen category gets 400) or
 *     {@value #OTHER} (it is scored as the category {@code other})
 * @param numeric numeric statistics, or null
 * @param categorical categorical statistics, or null
 */
public record FeatureSchema(
    String name,
    String kind,
    @Nullable Boolean standardize,
    @Nullable String unknown,
    @Nullable NumericStats numeric,
    @Nullable CategoricalStats categorical) {

  /** Kind of a number feature. */
  public static final String NUMERIC = "numeric";

  /** Kind of a category feature, one-hot encoded as {@code name@category}. */
  public static final String CATEGORICAL = "categorical";

  /** Unknown categories are refused. */
  public static final String REJECT = "reject";

  /** Unknown categories are scored as {@value #OTHER}. */
  public static final String OTHER = "other";

  /**
   * Statistics of a numeric feature on the training split.
   *
   * @param count values
   * @param mean their mean
   * @param std their population standard deviation
   * @param min the smallest value
   * @param max the largest value
   * @param binEdges distinct deciles; bin {@code i} holds values in {@code (edge[i-1], edge[i]]},
   *     the first bin everything up to {@code edge[0]}, the last everything above the last edge
   * @param binFractions share of training values in each of the {@code binEdges.size() + 1} bins
   */
  public record NumericStats(
      long count,
      double mean,
      double std,
      double min,
      double max,
      @JsonProperty("bin_edges") List<Double> binEdges,
      @JsonProperty("bin_fractions") List<Double> binFractions) {}

  /**
   * Statistics of a categorical feature on the training split.
   *
   * @param count values
   * @param frequencies rows of each category the model knows, by category name
   */
  public record CategoricalStats(long count, Map<String, Long> frequencies) {}

  /**
   * The bin of {@code value} among sorted {@code edges}: 0 for values up to {@code edges[0]},
   * {@code i} for values in {@code (edges[i-1], edges[i]]}, {@code edges.length} above the last
   * edge. The one definition training, the online monitor and the drift command share.
   */
  public static int bin(double[] edges, double value) {
    if (Double.isNaN(value)) {
      return edges.length;
    }
    // The edges below the value: a count without branches, quicker than a search over the ten
    // or so edges of a card's deciles, as unpredictable as values are.
    int below = 0;
    for (double edge : edges) {
      below += edge < value ? 1 : 0;
    }
    return below;
  }

  /** Whether this is a numeric feature. */
  public boolean isNumeric() {
    return NUMERIC.equals(kind);
  }
}
