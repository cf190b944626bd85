package dev.predictfn.training;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import java.util.List;
import org.tribuo.data.columnar.ColumnarFeature;
import org.tribuo.data.columnar.FieldProcessor;

/**
 * A Tribuo field processor for a standardised number: the feature named after the field, with value
 * {@code (x - mean) / std} of the training split. Like Tribuo's {@code DoubleFieldProcessor} with
 * {@code onlyFieldName}, plus the scaling the model card records for serving.
 */
final class StandardizedFieldProcessor implements FieldProcessor {
  @Config(mandatory = true, description = "The field name to read.")
  private String fieldName;

  @Config(mandatory = true, description = "Mean subtracted from each value.")
  private double mean;

  @Config(mandatory = true, description = "Standard deviation each value is divided by.")
  private double std;

  /** For OLCUT's configuration system. */
  @SuppressWarnings("unused")
  private StandardizedFieldProcessor() {}

  StandardizedFieldProcessor(String fieldName, double mean, double std) {
    this.fieldName = fieldName;
    this.mean = mean;
    this.std = std;
  }

  @Override
  public String getFieldName() {
    return fieldName;
  }

  @Override
  public List<ColumnarFeature> process(String value) {
    double x = Double.parseDouble(value);
    return List.of(new ColumnarFeature(fieldName, (x - mean) / std));
  }

  @Override
  public GeneratedFeatureType getFeatureType() {
    return GeneratedFeatureType.REAL;
  }

  @Override
  public StandardizedFieldProcessor copy(String newFieldName) {
    return new StandardizedFieldProcessor(newFieldName, mean, std);
  }

  @Override
  public ConfiguredObjectProvenance getProvenance() {
    return new ConfiguredObjectProvenanceImpl(this, "FieldProcessor");
  }
}
