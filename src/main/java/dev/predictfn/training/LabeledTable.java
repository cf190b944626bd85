package dev.predictfn.training;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A CSV file read into numeric feature rows and their labels, every cell checked.
 *
 * <p>Errors name the file, the 1-based line and the column, e.g. {@code iris.csv line 12, column
 * petal_width: 'abc' is not a number}.
 *
 * @param features the feature names, in the spec's order
 * @param rows one {@code double[]} per data line, values in {@code features} order
 * @param labels the label of each row
 */
public record LabeledTable(List<String> features, List<double[]> rows, List<String> labels) {

  /** Parses {@code csv} (comma-separated, header first, no quoting) for the given columns. */
  public static LabeledTable parse(
      String fileName, byte[] csv, List<String> featureColumns, String labelColumn) {
    String text = new String(csv, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\r?\n", -1);
    if (lines.length == 0 || lines[0].isBlank()) {
      throw new TrainingException(fileName + " line 1: missing header row");
    }
    List<String> header = List.of(lines[0].split(",", -1));
    Set<String> seen = new HashSet<>();
    for (String name : header) {
      if (!seen.add(name.trim())) {
        throw new TrainingException(fileName + " line 1: duplicated column '" + name.trim() + "'");
      }
    }
    int[] featureIndex = new int[featureColumns.size()];
    for (int i = 0; i < featureIndex.length; i++) {
      featureIndex[i] = columnIndex(fileName, header, featureColumns.get(i));
    }
    int labelIndex = columnIndex(fileName, header, labelColumn);

    List<double[]> rows = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (int n = 1; n < lines.length; n++) {
      String line = lines[n];
      if (line.isBlank()) {
        continue;
      }
      String where = fileName + " line " + (n + 1);
      String[] cells = line.split(",", -1);
      if (cells.length != header.size()) {
        throw new TrainingException(
            where + ": expected " + header.size() + " columns but found " + cells.length);
      }
      double[] row = new double[featureIndex.length];
      for (int i = 0; i < featureIndex.length; i++) {
        String cell = cells[featureIndex[i]].trim();
        String column = featureColumns.get(i);
        try {
          row[i] = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
          throw new TrainingException(
              where + ", column " + column + ": '" + cell + "' is not a number");
        }
        if (!Double.isFinite(row[i])) {
          throw new TrainingException(
              where + ", column " + column + ": '" + cell + "' is not finite");
        }
      }
      String label = cells[labelIndex].trim();
      if (label.isEmpty()) {
        throw new TrainingException(where + ", column " + labelColumn + ": empty label");
      }
      rows.add(row);
      labels.add(label);
    }
    if (rows.isEmpty()) {
      throw new TrainingException(fileName + ": no data rows after the header");
    }
    if (new HashSet<>(labels).size() < 2) {
      throw new TrainingException(
          fileName
              + ", column "
              + labelColumn
              + ": a classifier needs at least two classes but "
              + "found only "
              + new HashSet<>(labels));
    }
    return new LabeledTable(List.copyOf(featureColumns), rows, labels);
  }

  private static int columnIndex(String fileName, List<String> header, String column) {
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).trim().equals(column)) {
        return i;
      }
    }
    throw new TrainingException(
        fileName + " line 1: missing column '" + column + "' (header has " + header + ")");
  }

  /** Number of data rows. */
  public int size() {
    return rows.size();
  }
}
