package dev.predictfn.shadow;

import dev.predictfn.training.CsvRecords;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A labelled CSV (the build's comparison set, or any golden set): a header naming the model's
 * features and its label column, one row per line. Each row becomes the {@code /predict} body a
 * revision is sent, by feature name, so the two revisions may order their features differently.
 *
 * @param name the file's name, for reports
 * @param servingBodies each row's request body for the serving revision's features
 * @param candidateBodies each row's request body for the candidate's features
 * @param truths the label column of each row
 */
record LabelledRows(
    String name, List<byte[]> servingBodies, List<byte[]> candidateBodies, List<String> truths) {

  int size() {
    return truths.size();
  }

  /**
   * Reads FILE for both revisions' features; fails with the column a revision needs and the file
   * lacks, or the cell that is not a number.
   */
  static LabelledRows read(Path file, ServedModel serving, ServedModel candidate, JsonMapper json) {
    CsvRecords csv;
    try {
      csv = CsvRecords.parse(file.getFileName().toString(), Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ComparisonException("cannot read " + file + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new ComparisonException(e.getMessage());
    }
    String labelColumn = candidate.labelColumn();
    int label = column(csv, file, labelColumn, "the label column of the candidate's model");
    List<String> truths = new ArrayList<>(csv.records().size());
    for (String[] cells : csv.records()) {
      truths.add(cells[label]);
    }
    return new LabelledRows(
        file.getFileName().toString(),
        bodies(csv, file, serving, json),
        bodies(csv, file, candidate, json),
        List.copyOf(truths));
  }

  private static List<byte[]> bodies(
      CsvRecords csv, Path file, ServedModel model, JsonMapper json) {
    Map<String, Integer> columns = new LinkedHashMap<>();
    for (String feature : model.features().keySet()) {
      columns.put(feature, column(csv, file, feature, "a feature of " + model.describe()));
    }
    List<byte[]> bodies = new ArrayList<>(csv.records().size());
    for (int row = 0; row < csv.records().size(); row++) {
      String[] cells = csv.records().get(row);
      Map<String, Object> features = new LinkedHashMap<>();
      for (Map.Entry<String, Integer> column : columns.entrySet()) {
        String cell = cells[column.getValue()];
        if ("numeric".equals(model.features().get(column.getKey()))) {
          try {
            features.put(column.getKey(), Double.parseDouble(cell));
          } catch (NumberFormatException e) {
            throw new ComparisonException(
                file
                    + " line "
                    + csv.lines().get(row)
                    + ", column "
                    + column.getKey()
                    + ": '"
                    + cell
                    + "' is not a number");
          }
        } else {
          features.put(column.getKey(), cell);
        }
      }
      try {
        bodies.add(json.writeValueAsBytes(Map.of("features", features)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return bodies;
  }

  private static int column(CsvRecords csv, Path file, String name, String why) {
    int index = csv.header().indexOf(name);
    if (index < 0) {
      throw new ComparisonException(
          file + " has no column '" + name + "' (" + why + "); its columns: " + csv.header());
    }
    return index;
  }
}
