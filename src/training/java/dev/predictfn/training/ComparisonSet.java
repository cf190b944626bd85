package dev.predictfn.training;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a build's comparison set: the held-out rows of its split as CSV, with the spec's feature
 * columns and label column, in the order of the split. These rows never trained the model, so the
 * release's shadow gate ({@code cloudrun/compare.sh}) can score the serving and the new revision on
 * them through HTTP. Numbers are written so that they parse back to the same double.
 */
final class ComparisonSet {
  private ComparisonSet() {}

  static byte[] write(TrainingTable table, List<Integer> rows, String labelColumn) {
    StringBuilder csv = new StringBuilder();
    for (TrainingTable.FeatureColumn column : table.columns()) {
      csv.append(quote(column.feature().name())).append(',');
    }
    csv.append(quote(labelColumn)).append('\n');
    for (int row : rows) {
      for (TrainingTable.FeatureColumn column : table.columns()) {
        csv.append(
                column.numeric() ? number(column.numbers()[row]) : quote(column.categories()[row]))
            .append(',');
      }
      csv.append(quote(table.labels().get(row))).append('\n');
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }

  /**
   * RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled (as the batch
   * job's {@code CsvRows.quote}, which serving keeps package-private).
   */
  private static String quote(String field) {
    if (field.indexOf(',') < 0
        && field.indexOf('"') < 0
        && field.indexOf('\n') < 0
        && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
