package dev.predictfn.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Each label's probability as an unmodifiable map in the card's label order, kept as one array: a
 * result costs one small object and an array instead of a hash map with an entry and a boxed number
 * per label, which counts when a request scores thousands of rows.
 */
final class LabelProbabilities extends AbstractMap<String, Double> {
  private final List<String> labels;
  private final Map<String, Integer> index;
  private final double[] values;
  private final int predicted;

  /**
   * @param labels the card's labels
   * @param index each label's position in {@code labels}, shared by every result of a model
   * @param values each one's probability, in the same order (kept, not copied)
   * @param predicted the predicted label's position in {@code labels}, or -1 when it is not one
   */
  LabelProbabilities(
      List<String> labels, Map<String, Integer> index, double[] values, int predicted) {
    this.labels = labels;
    this.index = index;
    this.values = values;
    this.predicted = predicted;
  }

  /** The predicted label's position, or -1 (see {@link PredictionResult#labelIndex}). */
  int predicted() {
    return predicted;
  }

  @Override
  public int size() {
    return values.length;
  }

  @Override
  public boolean containsKey(Object key) {
    return index.containsKey(key);
  }

  @Override
  public Double get(Object key) {
    Integer c = index.get(key);
    return c == null ? null : values[c];
  }

  /** The label of the {@code c}th entry. */
  String labelAt(int c) {
    return labels.get(c);
  }

  /** The probability of the {@code c}th entry. */
  double valueAt(int c) {
    return values[c];
  }

  @Override
  public Set<Map.Entry<String, Double>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return values.length;
      }

      @Override
      public Iterator<Map.Entry<String, Double>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < values.length;
          }

          @Override
          public Map.Entry<String, Double> next() {
            if (next >= values.length) {
              throw new NoSuchElementException();
            }
            int c = next++;
            return new SimpleImmutableEntry<>(labels.get(c), values[c]);
          }
        };
      }
    };
  }
}
