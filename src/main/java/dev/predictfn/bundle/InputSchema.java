package dev.predictfn.bundle;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;

/**
 * A card's feature schema compiled for serving: what a request may send for each feature, and how a
 * validated row becomes the model's input.
 *
 * <p>A validated row is a {@code double[]} in card feature order: a numeric feature holds its
 * value, a categorical one the index of its category in {@link #categories(int)}, or {@value
 * #UNKNOWN_CATEGORY} for a category the model never saw (only accepted with {@code unknown:
 * other}). The model's features are Tribuo's row-processing names: the column name for a number
 * (standardised when the card says so) and {@code column@category} with value 1 for a category,
 * exactly as training's {@code RowProcessor} produced them.
 */
public final class InputSchema {
  /** Row value of a categorical feature whose category the model never saw. */
  public static final double UNKNOWN_CATEGORY = -1;

  private static final String JOINER = "@";

  private final List<FeatureSchema> features;
  private final List<String> names;
  private final Map<String, Integer> index;
  private final List<String> categoricalNames;
  private final boolean[] categorical;
  private final double[] mean;
  private final double[] scale;
  private final List<List<String>> categories;
  private final List<Map<String, Integer>> categoryIndex;
  private final int[] otherIndex;
  private final String[] encodedNames;
  private final int[] offset;
  private final boolean plain;

  InputSchema(List<FeatureSchema> features) {
    int n = features.size();
    this.features = List.copyOf(features);
    this.names = features.stream().map(FeatureSchema::name).toList();
    this.index = new HashMap<>(n * 2);
    for (int f = 0; f < n; f++) {
      index.put(names.get(f), f);
    }
    this.categoricalNames =
        features.stream().filter(f -> !f.isNumeric()).map(FeatureSchema::name).toList();
    this.categorical = new boolean[n];
    this.mean = new double[n];
    this.scale = new double[n];
    this.categories = new ArrayList<>(n);
    this.categoryIndex = new ArrayList<>(n);
    this.otherIndex = new int[n];
    this.offset = new int[n];
    List<String> encoded = new ArrayList<>();
    boolean onlyRawNumbers = true;
    for (int f = 0; f < n; f++) {
      FeatureSchema feature = features.get(f);
      offset[f] = encoded.size();
      scale[f] = 1;
      if (feature.isNumeric()) {
        if (Boolean.TRUE.equals(feature.standardize())) {
          mean[f] = feature.numeric().mean();
          scale[f] = feature.numeric().std();
          onlyRawNumbers = false;
        }
        categories.add(List.of());
        categoryIndex.add(Map.of());
        otherIndex[f] = -1;
        encoded.add(feature.name());
      } else {
        categorical[f] = true;
        onlyRawNumbers = false;
        List<String> known = List.copyOf(feature.categorical().frequencies().keySet());
        Map<String, Integer> index = new HashMap<>(known.size() * 2);
        for (int c = 0; c < known.size(); c++) {
          index.put(known.get(c), c);
          encoded.add(feature.name() + JOINER + known.get(c));
        }
        categories.add(known);
        categoryIndex.add(index);
        otherIndex[f] =
            FeatureSchema.OTHER.equals(feature.unknown()) ? known.indexOf(FeatureSchema.OTHER) : -1;
      }
    }
    this.encodedNames = encoded.toArray(String[]::new);
    this.plain = onlyRawNumbers;
  }

  /** The schema of {@code card}. */
  public static InputSchema of(ModelCard card) {
    return new InputSchema(card.schema());
  }

  /** Feature names in row order. */
  public List<String> names() {
    return names;
  }

  /** The card's description of each feature, in row order. */
  public List<FeatureSchema> features() {
    return features;
  }

  /** Number of features in a row. */
  public int size() {
    return names.size();
  }

  /** The position of feature {@code name} in a row, or -1 when the model has no such feature. */
  public int indexOf(String name) {
    Integer f = index.get(name);
    return f == null ? -1 : f;
  }

  /** The categorical features' names, in row order (empty for an all-numeric model). */
  public List<String> categoricalNames() {
    return categoricalNames;
  }

  /** Whether feature {@code f} is categorical. */
  public boolean isCategorical(int f) {
    return categorical[f];
  }

  /** The categories the model knows for feature {@code f}, in index order (empty if numeric). */
  public List<String> categories(int f) {
    return categories.get(f);
  }

  /**
   * The row value of {@code category} for categorical feature {@code f}: its index, {@value
   * #UNKNOWN_CATEGORY} for an unseen category the card maps to {@code other}, or {@code -2} when
   * the card refuses unseen categories.
   */
  public int categoryValue(int f, String category) {
    Integer index = categoryIndex.get(f).get(category);
    if (index != null) {
      return index;
    }
    return FeatureSchema.OTHER.equals(features.get(f).unknown()) ? (int) UNKNOWN_CATEGORY : -2;
  }

  /**
   * {@link #categoryValue(int, String)} of the category named by the ASCII bytes {@code
   * ascii[from..to)}, for the readers that take rows straight from bytes.
   */
  public int categoryValue(int f, byte[] ascii, int from, int to) {
    return categoryValue(f, new String(ascii, from, to - from, StandardCharsets.US_ASCII));
  }

  /** The model's feature names, in encoding order. */
  public List<String> encodedNames() {
    return List.of(encodedNames);
  }

  /** The model's input for a validated row: every encoded feature, zeros included. */
  public double[] encodeDense(double[] row) {
    double[] values = new double[encodedNames.length];
    for (int f = 0; f < row.length; f++) {
      if (!categorical[f]) {
        values[offset[f]] = (row[f] - mean[f]) / scale[f];
      } else {
        int c = active(f, row[f]);
        if (c >= 0) {
          values[offset[f] + c] = 1;
        }
      }
    }
    return values;
  }

  /** Whether encoded feature {@code e} is a one-hot category column. */
  public boolean isOneHot(int e) {
    return encodedNames[e].contains(JOINER) && !names.contains(encodedNames[e]);
  }

  /** The Tribuo example for a validated row: numbers and the active category of each feature. */
  public Example<Label> example(double[] row) {
    if (plain) {
      checkLength(row);
      return new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, encodedNames, row);
    }
    int[] columns = new int[row.length];
    double[] values = new double[row.length];
    int k = encode(row, columns, values);
    String[] activeNames = new String[k];
    for (int i = 0; i < k; i++) {
      activeNames[i] = encodedNames[columns[i]];
    }
    return new ArrayExample<>(
        LabelFactory.UNKNOWN_LABEL,
        activeNames,
        k < values.length ? Arrays.copyOf(values, k) : values);
  }

  /**
   * The model's input for a validated row, as {@link #example} gives it to Tribuo: the encoded
   * column ({@link #encodedNames()}) and value of each active input, in feature order, a numeric
   * feature's value standardised when the card says so and an active category's value 1.
   *
   * @param columns receives the encoded columns; at least {@code row.length} long
   * @param values receives their values; at least {@code row.length} long
   * @return how many inputs are active (at least 1)
   */
  public int encode(double[] row, int[] columns, double[] values) {
    checkLength(row);
    int k = 0;
    for (int f = 0; f < row.length; f++) {
      if (!categorical[f]) {
        columns[k] = offset[f];
        values[k++] = plain ? row[f] : (row[f] - mean[f]) / scale[f];
      } else {
        int c = active(f, row[f]);
        if (c >= 0) {
          columns[k] = offset[f] + c;
          values[k++] = 1;
        }
      }
    }
    if (k == 0) {
      // Only unseen categories and no "other" column: nothing is active, so the score is the
      // bias alone. Tribuo refuses an example without features, and a zero adds nothing.
      columns[0] = 0;
      values[0] = 0;
      k = 1;
    }
    return k;
  }

  private void checkLength(double[] row) {
    if (row.length != names.size()) {
      throw new IllegalArgumentException(
          "expected " + names.size() + " features but got " + row.length);
    }
  }

  private int active(int f, double value) {
    int c = (int) value;
    return c >= 0 ? c : otherIndex[f];
  }
}
