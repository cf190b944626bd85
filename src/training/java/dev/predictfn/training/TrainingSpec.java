package dev.predictfn.training;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What to train, read from a JSON file such as {@code src/main/training/churn.spec.json}; its
 * documented JSON Schema is {@code src/main/training/training-spec.schema.json}.
 *
 * @param jsonSchema the schema editors validate the file with; ignored
 * @param modelName the model's name in its card
 * @param modelVersion the model version; {@code --model-version} overrides it (the build passes the
 *     project version)
 * @param data the CSV path, relative to the spec file
 * @param labelColumn the column holding the class label
 * @param positiveLabel for a binary model, the class ROC-AUC and PR-AUC are about; null for
 *     macro-averaged one-vs-rest figures
 * @param features the feature columns, in the order positional requests use
 * @param split how rows are held out for evaluation
 * @param trainer SGD settings
 * @param gates minimums the held-out metrics must reach
 * @param reference the released model's card this model is compared with, the tolerated drop, and
 *     the released model's labelled comparison rows
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = false)
public record TrainingSpec(
    @JsonProperty("$schema") @Nullable String jsonSchema,
    @JsonProperty("model_name") String modelName,
    @JsonProperty("model_version") @Nullable String modelVersion,
    String data,
    @JsonProperty("label_column") String labelColumn,
    @JsonProperty("positive_label") @Nullable String positiveLabel,
    List<Feature> features,
    Split split,
    SgdSettings trainer,
    List<Gate> gates,
    @Nullable Reference reference) {

  /** Feature kind: a number, used as is or standardised. */
  public static final String NUMERIC = "numeric";

  /** Feature kind: a category, one-hot encoded. */
  public static final String CATEGORICAL = "categorical";

  /** Unknown-category policy: answer 400 naming the known categories. */
  public static final String REJECT = "reject";

  /** Unknown-category policy: score as the category {@code other}. */
  public static final String OTHER = "other";

  /** Metrics a gate can name; all are "higher is better". */
  public static final Set<String> GATED_METRICS =
      Set.of("accuracy", "macro_f1", "roc_auc", "pr_auc");

  /**
   * One feature column.
   *
   * @param name the CSV column, and the name requests use
   * @param kind {@value #NUMERIC} or {@value #CATEGORICAL}
   * @param standardize numeric only: feed the model {@code (x - mean) / std} of the training split
   * @param unknown categorical only: {@value #REJECT} (default) or {@value #OTHER}
   * @param minCount categorical with {@code unknown: other} only: categories seen in fewer training
   *     rows are folded into {@code other}, so the model learns a weight for it (default 1)
   */
  @Serdeable
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Feature(
      String name,
      String kind,
      @Nullable Boolean standardize,
      @Nullable String unknown,
      @JsonProperty("min_count") @Nullable Integer minCount) {

    /** Whether numeric values are standardised. */
    public boolean standardized() {
      return Boolean.TRUE.equals(standardize);
    }

    /** The unknown-category policy, {@value #REJECT} unless set. */
    public String unknownPolicy() {
      return unknown == null ? REJECT : unknown;
    }

    /** Rows a category needs to keep its own one-hot column. */
    public int minimumCount() {
      return minCount == null ? 1 : minCount;
    }
  }

  /**
   * The held-out split, stratified by label.
   *
   * @param testFraction fraction of each class held out, in (0, 1)
   * @param seed seed of the split and of the trainer's shuffling
   */
  @Serdeable
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Split(@JsonProperty("test_fraction") double testFraction, long seed) {}

  /**
   * Settings of Tribuo's {@code LinearSGDTrainer} with the multinomial logistic objective.
   *
   * @param optimiser {@code adagrad} (default) or {@code adam}
   * @param epochs passes over the training data
   * @param learningRate the optimiser's learning rate
   * @param epsilon the optimiser's epsilon, which keeps early steps bounded
   * @param minibatchSize rows per gradient step
   */
  @Serdeable
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record SgdSettings(
      @Nullable String optimiser,
      int epochs,
      @JsonProperty("learning_rate") double learningRate,
      double epsilon,
      @JsonProperty("minibatch_size") int minibatchSize) {

    /** The optimiser name, {@code adagrad} unless set. */
    public String optimiserName() {
      return optimiser == null ? "adagrad" : optimiser;
    }
  }

  /**
   * A held-out metric the model must reach.
   *
   * @param metric one of {@link #GATED_METRICS}
   * @param min the minimum
   */
  @Serdeable
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Gate(String metric, double min) {}

  /**
   * The comparison with the released model.
   *
   * @param card the released model's card, relative to the spec file
   * @param tolerance the largest drop of a gated metric that still passes
   * @param comparisonSet the released model's comparison set (the held-out rows it was released
   *     with), relative to the spec file; the release's shadow gate scores both revisions on it
   *     (docs/operations.md, "The release gates"). Null: only the candidate's own rows are used.
   */
  @Serdeable
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Reference(
      String card,
      double tolerance,
      @JsonProperty("comparison_set") @Nullable String comparisonSet) {}

  /** Checks the values that JSON alone cannot, naming the field at fault. */
  public void validate(String specName) {
    require(modelName != null && !modelName.isBlank(), specName, "model_name must be set");
    require(data != null && !data.isBlank(), specName, "data must name a CSV file");
    require(labelColumn != null && !labelColumn.isBlank(), specName, "label_column must be set");
    require(
        features != null && !features.isEmpty(),
        specName,
        "features must list at least one column");
    Set<String> names = new HashSet<>();
    for (int i = 0; i < features.size(); i++) {
      Feature f = features.get(i);
      String at = "features[" + i + "]";
      require(
          f != null && f.name() != null && !f.name().isBlank(), specName, at + ".name must be set");
      require(names.add(f.name()), specName, at + ".name '" + f.name() + "' is listed twice");
      require(
          !f.name().equals(labelColumn),
          specName,
          at + ".name '" + f.name() + "' is the label column");
      require(
          NUMERIC.equals(f.kind()) || CATEGORICAL.equals(f.kind()),
          specName,
          at + ".kind must be \"numeric\" or \"categorical\" but was " + f.kind());
      if (NUMERIC.equals(f.kind())) {
        require(
            f.unknown() == null && f.minCount() == null,
            specName,
            at + ": unknown and min_count apply to categorical features only");
      } else {
        require(
            f.standardize() == null,
            specName,
            at + ": standardize applies to numeric features only");
        require(
            REJECT.equals(f.unknownPolicy()) || OTHER.equals(f.unknownPolicy()),
            specName,
            at + ".unknown must be \"reject\" or \"other\" but was " + f.unknown());
        require(
            f.minCount() == null || (f.minCount() >= 1 && OTHER.equals(f.unknownPolicy())),
            specName,
            at + ".min_count needs unknown \"other\" and must be at least 1");
      }
    }
    require(split != null, specName, "split must be set");
    require(
        split.testFraction() > 0 && split.testFraction() < 1,
        specName,
        "split.test_fraction must be between 0 and 1 but was " + split.testFraction());
    require(trainer != null, specName, "trainer must be set");
    require(
        Set.of("adagrad", "adam").contains(trainer.optimiserName()),
        specName,
        "trainer.optimiser must be \"adagrad\" or \"adam\" but was " + trainer.optimiser());
    require(trainer.epochs() > 0, specName, "trainer.epochs must be positive");
    require(trainer.learningRate() > 0, specName, "trainer.learning_rate must be positive");
    require(trainer.epsilon() > 0, specName, "trainer.epsilon must be positive");
    require(trainer.minibatchSize() > 0, specName, "trainer.minibatch_size must be positive");
    require(gates != null && !gates.isEmpty(), specName, "gates must list at least one gate");
    for (int i = 0; i < gates.size(); i++) {
      Gate gate = gates.get(i);
      require(
          gate != null && GATED_METRICS.contains(gate.metric()),
          specName,
          "gates[" + i + "].metric must be one of " + List.copyOf(new TreeSet<>(GATED_METRICS)));
      require(
          gate.min() >= 0 && gate.min() <= 1,
          specName,
          "gates[" + i + "].min must be between 0 and 1");
    }
    if (reference != null) {
      require(
          reference.card() != null && !reference.card().isBlank(),
          specName,
          "reference.card must name a model card");
      require(
          reference.tolerance() >= 0 && reference.tolerance() < 1,
          specName,
          "reference.tolerance must be between 0 and 1");
    }
  }

  private static void require(boolean condition, String specName, String message) {
    if (!condition) {
      throw new TrainingException(specName + ": " + message);
    }
  }
}
