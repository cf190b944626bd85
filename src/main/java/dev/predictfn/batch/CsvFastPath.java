package dev.predictfn.batch;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.rows.AsciiWords;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@link FastPath} of {@link CsvRows}. A line is ordinary when it is ASCII without control
 * characters or quotes, has the header's number of fields, each numeric feature a plain decimal
 * ({@code [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?}) with a finite value and each categorical feature
 * a category the card accepts.
 *
 * <p>A number is {@link Double#parseDouble}'s: up to 15 significant digits and a power of ten up to
 * 22 are one exact division or multiplication of two exactly represented doubles, so correctly
 * rounded; longer ones go to {@code Double.parseDouble} itself.
 */
final class CsvFastPath extends FastPath {
  private final CsvRows format;
  private final DirectValues values;
  private final int fields;
  private final int[] featureOfColumn; // [column] -> feature, or -1
  private final int idColumn;
  private final Map<String, byte[]> labelFields = new HashMap<>(); // label -> ,"label" as UTF-8

  CsvFastPath(CsvRows format, InputSchema schema, int fields, int[] featureColumns, int idColumn) {
    super(new byte[0]);
    this.format = format;
    this.values = new DirectValues(schema);
    this.fields = fields;
    this.featureOfColumn = new int[fields];
    Arrays.fill(featureOfColumn, -1);
    for (int f = 0; f < featureColumns.length; f++) {
      featureOfColumn[featureColumns[f]] = f;
    }
    this.idColumn = idColumn;
  }

  @Override
  boolean read(byte[] line, int length, double[] row) {
    int column = 0;
    int start = 0;
    while (true) {
      int end = AsciiWords.csvField(line, start, length);
      if (end < 0 || column >= fields) {
        return false;
      }
      int f = featureOfColumn[column];
      if (f >= 0
          && !(values.isCategorical(f)
              ? values.category(line, start, end, f, row)
              : values.number(line, start, end, f, row))) {
        return false;
      }
      if (column == idColumn) {
        keep(start, end);
      }
      column++;
      if (end == length) {
        break;
      }
      start = end + 1;
    }
    // A line of spaces, which the general path skips, has no comma: one field.
    if (column != fields || column == 1 && blank(line, length)) {
      return false;
    }
    if (idColumn < 0) {
      keep(0, length);
    }
    return true;
  }

  private static boolean blank(byte[] line, int length) {
    for (int i = 0; i < length; i++) {
      if (line[i] != ' ') {
        return false;
      }
    }
    return true;
  }

  @Override
  void appendPrediction(StringBuilder out, String label, double[] probabilities) {
    format.appendPrediction(out, label, probabilities);
  }

  @Override
  void writePrediction(PartOutput out, String label, double[] probabilities) throws IOException {
    byte[] field = labelFields.get(label);
    if (field == null) {
      field = PartOutput.utf8("," + format.quotedLabel(label));
      labelFields.put(label, field);
    }
    out.write(field, 0, field.length);
    for (double probability : probabilities) {
      out.write(',');
      out.write(probability);
    }
  }
}
