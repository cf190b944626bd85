package dev.predictfn.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * What a model bundle says about its model: identity, input contract, lineage and quality.
 *
 * <p>Written by training next to the model file and served verbatim at {@code GET /model}, so "what
 * is serving?" always has an answer that names the data, the library and the metrics.
 *
 * @param formatVersion version of this card's layout, {@link ModelBundle#FORMAT_VERSION}
 * @param modelName name of the model, e.g. {@code iris-sgd}
 * @param modelVersion version of the model, equal to the application version for bundled models
 * @param task the kind of model; only {@code classification} is served
 * @param features feature names in the order a positional request must use
 * @param labels class labels in the order the model scores them
 * @param trainingData the data the model learned from
 * @param tribuoVersion the Tribuo version that trained the model; serving requires the same
 * @param trainer the trainer class and its hyper-parameters
 * @param evaluation metrics on the held-out split
 * @param trainedAt when the model was trained (the build's reproducible timestamp)
 * @param modelFile the name of the model file inside the bundle
 * @param modelSha256 SHA-256 of the model file, hex-encoded
 */
@Serdeable
public record ModelCard(
    @JsonProperty("format_version") int formatVersion,
    @JsonProperty("model_name") String modelName,
    @JsonProperty("model_version") String modelVersion,
    String task,
    List<String> features,
    List<String> labels,
    @JsonProperty("training_data") TrainingData trainingData,
    @JsonProperty("tribuo_version") String tribuoVersion,
    Trainer trainer,
    Evaluation evaluation,
    @JsonProperty("trained_at") String trainedAt,
    @JsonProperty("model_file") String modelFile,
    @JsonProperty("model_sha256") String modelSha256) {

  /**
   * The data a model learned from.
   *
   * @param path the CSV path relative to the training spec (never a build machine's absolute path)
   * @param sha256 SHA-256 of the CSV file, hex-encoded
   * @param rows data rows in the file
   * @param trainRows rows used for training
   * @param testRows rows held out for evaluation
   * @param labelColumn the CSV column holding the label
   * @param split how rows were split into train and test
   */
  @Serdeable
  public record TrainingData(
      String path,
      String sha256,
      int rows,
      @JsonProperty("train_rows") int trainRows,
      @JsonProperty("test_rows") int testRows,
      @JsonProperty("label_column") String labelColumn,
      String split) {}

  /**
   * The trainer that produced the model.
   *
   * @param name the Tribuo trainer class
   * @param hyperparameters every setting that influences the learned parameters
   */
  @Serdeable
  public record Trainer(String name, Map<String, String> hyperparameters) {}

  /**
   * Held-out metrics and the gate they were held to.
   *
   * @param accuracy fraction of held-out rows predicted correctly
   * @param macroF1 unweighted mean of the per-class F1 scores
   * @param logLoss mean negative log probability of the true label (lower is better calibrated)
   * @param perClass precision, recall, F1 and support for each label
   * @param confusionMatrix counts of true label (rows) against predicted label (columns)
   * @param qualityGate the gate applied during the build
   */
  @Serdeable
  public record Evaluation(
      double accuracy,
      @JsonProperty("macro_f1") double macroF1,
      @JsonProperty("log_loss") double logLoss,
      @JsonProperty("per_class") Map<String, ClassMetrics> perClass,
      @JsonProperty("confusion_matrix") ConfusionMatrix confusionMatrix,
      @JsonProperty("quality_gate") QualityGate qualityGate) {}

  /**
   * Metrics of one class on the held-out split.
   *
   * @param precision true positives over predicted positives
   * @param recall true positives over actual positives
   * @param f1 harmonic mean of precision and recall
   * @param support held-out rows of this class
   */
  @Serdeable
  public record ClassMetrics(double precision, double recall, double f1, int support) {}

  /**
   * Confusion matrix: {@code counts[i][j]} rows of true label {@code labels[i]} predicted as {@code
   * labels[j]}.
   *
   * @param labels the label order of rows and columns
   * @param counts the counts
   */
  @Serdeable
  public record ConfusionMatrix(List<String> labels, List<List<Integer>> counts) {}

  /**
   * A minimum a metric had to reach for the build to succeed.
   *
   * @param metric the gated metric
   * @param minimum the threshold
   * @param passed whether the model reached it
   */
  @Serdeable
  public record QualityGate(String metric, double minimum, boolean passed) {}
}
