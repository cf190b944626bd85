package dev.predictfn.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * What to train: data, columns, split, trainer settings and the quality gate, read from a JSON file
 * such as {@code src/main/training/iris.spec.json}.
 *
 * @param modelName the model's name in its card
 * @param data the CSV path, relative to the spec file
 * @param labelColumn the column holding the class label
 * @param featureColumns the numeric feature columns, in the order requests use
 * @param testFraction fraction of each class held out for evaluation, in (0, 1)
 * @param seed seed of the split and of the trainer's shuffling
 * @param trainer SGD settings
 * @param gate the minimum held-out accuracy the build accepts
 */
@Serdeable
public record TrainingSpec(
    @JsonProperty("model_name") String modelName,
    String data,
    @JsonProperty("label_column") String labelColumn,
    @JsonProperty("feature_columns") List<String> featureColumns,
    @JsonProperty("test_fraction") double testFraction,
    long seed,
    SgdSettings trainer,
    Gate gate) {

  /**
   * Settings of Tribuo's {@code LinearSGDTrainer} with the multinomial logistic objective and the
   * AdaGrad optimiser.
   *
   * @param epochs passes over the training data
   * @param learningRate AdaGrad's initial learning rate
   * @param epsilon AdaGrad's epsilon, which keeps early steps bounded
   * @param minibatchSize rows per gradient step
   */
  @Serdeable
  public record SgdSettings(
      int epochs,
      @JsonProperty("learning_rate") double learningRate,
      double epsilon,
      @JsonProperty("minibatch_size") int minibatchSize) {}

  /**
   * The build fails when held-out accuracy is below {@code minAccuracy}.
   *
   * @param minAccuracy the threshold
   */
  @Serdeable
  public record Gate(@JsonProperty("min_accuracy") double minAccuracy) {}

  /** Checks the values that JSON alone cannot, naming the field at fault. */
  public void validate(String specName) {
    require(modelName != null && !modelName.isBlank(), specName, "model_name must be set");
    require(data != null && !data.isBlank(), specName, "data must name a CSV file");
    require(labelColumn != null && !labelColumn.isBlank(), specName, "label_column must be set");
    require(
        featureColumns != null && !featureColumns.isEmpty(),
        specName,
        "feature_columns must list at least one column");
    require(
        testFraction > 0 && testFraction < 1,
        specName,
        "test_fraction must be between 0 and 1 but was " + testFraction);
    require(trainer != null, specName, "trainer must be set");
    require(trainer.epochs() > 0, specName, "trainer.epochs must be positive");
    require(trainer.learningRate() > 0, specName, "trainer.learning_rate must be positive");
    require(trainer.epsilon() > 0, specName, "trainer.epsilon must be positive");
    require(trainer.minibatchSize() > 0, specName, "trainer.minibatch_size must be positive");
    require(gate != null, specName, "gate must be set");
    require(
        gate.minAccuracy() >= 0 && gate.minAccuracy() <= 1,
        specName,
        "gate.min_accuracy must be between 0 and 1");
  }

  private static void require(boolean condition, String specName, String message) {
    if (!condition) {
      throw new TrainingException(specName + ": " + message);
    }
  }
}
