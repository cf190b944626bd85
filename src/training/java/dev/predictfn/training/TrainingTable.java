package dev.predictfn.training;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A CSV file read for a spec: every feature cell parsed as its kind says, every label present, and
 * every column checked before training starts.
 *
 * <p>Errors name the file, the 1-based line and the column by position and name, e.g. {@code
 * iris.csv line 12, column 4 (petal_width): 'abc' is not a number}.
 */
public final class TrainingTable {
  private final List<FeatureColumn> columns;
  private final List<String> labels;
  private final List<Integer> lines;

  /**
   * One feature's values in row order: {@code numbers} for a numeric feature, {@code categories}
   * for a categorical one.
   *
   * @param feature the spec's feature
   * @param numbers numeric values, or null
   * @param categories category values, or null
   */
  public record FeatureColumn(TrainingSpec.Feature feature, double[] numbers, String[] categories) {
    /** Whether the feature is numeric. */
    public boolean numeric() {
      return numbers != null;
    }
  }

  private TrainingTable(List<FeatureColumn> columns, List<String> labels, List<Integer> lines) {
    this.columns = columns;
    this.labels = labels;
    this.lines = lines;
  }

  /** Reads {@code csv} for {@code spec}'s features and label. */
  public static TrainingTable read(String fileName, byte[] csv, TrainingSpec spec) {
    CsvRecords records = CsvRecords.parse(fileName, csv);
    List<String> header = records.header();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < header.size(); i++) {
      if (!seen.add(header.get(i))) {
        throw new TrainingException(
            fileName
                + " line 1, column "
                + (i + 1)
                + ": duplicated column name '"
                + header.get(i)
                + "' (also column "
                + (header.indexOf(header.get(i)) + 1)
                + ")");
      }
    }
    if (records.records().isEmpty()) {
      throw new TrainingException(fileName + ": no data rows after the header");
    }
    List<FeatureColumn> columns = new ArrayList<>(spec.features().size());
    for (TrainingSpec.Feature feature : spec.features()) {
      columns.add(column(records, feature));
    }
    List<String> labels = labels(records, spec.labelColumn());
    return new TrainingTable(List.copyOf(columns), List.copyOf(labels), records.lines());
  }

  private static FeatureColumn column(CsvRecords records, TrainingSpec.Feature feature) {
    int index = index(records, feature.name());
    String name = describe(index, feature.name());
    int n = records.records().size();
    boolean allEmpty = true;
    for (String[] record : records.records()) {
      allEmpty &= record[index].isEmpty();
    }
    if (allEmpty) {
      throw new TrainingException(
          records.fileName() + ", " + name + ": empty in all " + n + " rows");
    }
    boolean numeric = TrainingSpec.NUMERIC.equals(feature.kind());
    double[] numbers = numeric ? new double[n] : null;
    String[] categories = numeric ? null : new String[n];
    for (int r = 0; r < n; r++) {
      String cell = records.records().get(r)[index];
      String where = records.fileName() + " line " + records.lines().get(r) + ", " + name;
      if (cell.isEmpty()) {
        throw new TrainingException(where + ": empty value; fill it in or drop the row");
      }
      if (numeric) {
        try {
          numbers[r] = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
          throw new TrainingException(where + ": '" + cell + "' is not a number");
        }
        if (!Double.isFinite(numbers[r])) {
          throw new TrainingException(where + ": '" + cell + "' is not finite");
        }
      } else {
        categories[r] = cell;
      }
    }
    boolean constant = true;
    for (int r = 1; r < n && constant; r++) {
      constant = numeric ? numbers[r] == numbers[0] : categories[r].equals(categories[0]);
    }
    if (constant) {
      throw new TrainingException(
          records.fileName()
              + ", "
              + name
              + ": constant ('"
              + records.records().get(0)[index]
              + "' in all "
              + n
              + " rows), so it cannot inform the model; remove it from the spec's features");
    }
    return new FeatureColumn(feature, numbers, categories);
  }

  private static List<String> labels(CsvRecords records, String labelColumn) {
    int index = index(records, labelColumn);
    List<String> labels = new ArrayList<>(records.records().size());
    for (int r = 0; r < records.records().size(); r++) {
      String label = records.records().get(r)[index];
      if (label.isEmpty()) {
        throw new TrainingException(
            records.fileName()
                + " line "
                + records.lines().get(r)
                + ", "
                + describe(index, labelColumn)
                + ": empty label");
      }
      labels.add(label);
    }
    Set<String> classes = new TreeSet<>(labels);
    if (classes.size() < 2) {
      throw new TrainingException(
          records.fileName()
              + ", "
              + describe(index, labelColumn)
              + ": a classifier needs at least two classes but found only "
              + classes);
    }
    return labels;
  }

  private static int index(CsvRecords records, String column) {
    int index = records.header().indexOf(column);
    if (index < 0) {
      throw new TrainingException(
          records.fileName()
              + " line 1: missing column '"
              + column
              + "' (header has "
              + records.header()
              + ")");
    }
    return index;
  }

  private static String describe(int index, String name) {
    return "column " + (index + 1) + " (" + name + ")";
  }

  /** The feature columns, in the spec's order. */
  public List<FeatureColumn> columns() {
    return columns;
  }

  /** The label of each row. */
  public List<String> labels() {
    return labels;
  }

  /** The 1-based CSV line of row {@code row}. */
  public int line(int row) {
    return lines.get(row);
  }

  /** Number of data rows. */
  public int size() {
    return labels.size();
  }
}
