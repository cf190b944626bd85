package dev.predictfn.training;

import dev.predictfn.bundle.FeatureSchema;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.data.columnar.FieldProcessor;
import org.tribuo.data.columnar.RowProcessor;
import org.tribuo.data.columnar.processors.field.DoubleFieldProcessor;
import org.tribuo.data.columnar.processors.field.IdentityProcessor;
import org.tribuo.data.columnar.processors.response.FieldResponseProcessor;

/**
 * Turns validated table rows into Tribuo examples through Tribuo's own row processing: a {@link
 * RowProcessor} with a {@link DoubleFieldProcessor} (or {@link StandardizedFieldProcessor}) per
 * numeric feature and an {@link IdentityProcessor} per categorical one, which one-hot encodes a
 * category as the feature {@code column@category} with value 1.
 */
final class TribuoRows {
  private static final LabelFactory LABELS = new LabelFactory();

  private final TrainingTable table;
  private final List<FeatureSchema> schema;
  private final String labelColumn;
  private final RowProcessor<Label> processor;

  TribuoRows(TrainingTable table, List<FeatureSchema> schema, String labelColumn) {
    this.table = table;
    this.schema = schema;
    this.labelColumn = labelColumn;
    Map<String, FieldProcessor> fields = new LinkedHashMap<>();
    for (FeatureSchema feature : schema) {
      FieldProcessor field;
      if (!feature.isNumeric()) {
        field = new IdentityProcessor(feature.name());
      } else if (Boolean.TRUE.equals(feature.standardize())) {
        field =
            new StandardizedFieldProcessor(
                feature.name(), feature.numeric().mean(), feature.numeric().std());
      } else {
        field = new DoubleFieldProcessor(feature.name(), true, true);
      }
      fields.put(feature.name(), field);
    }
    // Labels keep their case (Tribuo upper-cases them by default).
    this.processor =
        new RowProcessor<>(
            new FieldResponseProcessor<>(List.of(labelColumn), List.of(""), LABELS, false, false),
            fields);
  }

  /** Row {@code row} of the table as a labelled example. */
  Example<Label> example(int row) {
    Map<String, String> cells = new HashMap<>(schema.size() * 2 + 2);
    for (int f = 0; f < schema.size(); f++) {
      TrainingTable.FeatureColumn column = table.columns().get(f);
      String value =
          column.numeric()
              ? Double.toString(column.numbers()[row])
              : FeatureStatistics.modelCategory(schema.get(f), column.categories()[row]);
      cells.put(schema.get(f).name(), value);
    }
    cells.put(labelColumn, table.labels().get(row));
    return processor
        .generateExample(cells, true)
        .orElseThrow(
            () -> new TrainingException("line " + table.line(row) + ": no example produced"));
  }
}
