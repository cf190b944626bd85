package dev.predictfn.bundle;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.annotation.Nullable;
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
 * @param schema each feature's kind, encoding and training statistics, in {@code features} order
 * @param labels class labels in the order the model scores them
 * @param trainingData the data the model learned from
 * @param tribuoVersion the Tribuo version that trained the model; serving requires the same
 * @param trainer the trainer class and its hyper-parameters
 * @param evaluation metrics on the held-out split
 * @param trainedAt when the model was trained (the build's reproducible timestamp)
 * @param modelFile the name of the model file inside the bundle
 * @param modelSha256 SHA-256 of the model file, hex-encoded
 * @param lineage where a retrained candidate came from, or null for a model the build trained
 */
public record ModelCard(
    @JsonProperty("format_version") int formatVersion,
    @JsonProperty("model_name") String modelName,
    @JsonProperty("model_version") String modelVersion,
    String task,
    List<String> features,
    List<FeatureSchema> schema,
    List<String> labels,
    @JsonProperty("training_data") TrainingData trainingData,
    @JsonProperty("tribuo_version") String tribuoVersion,
    Trainer trainer,
    Evaluation evaluation,
    @JsonProperty("trained_at") String trainedAt,
    @JsonProperty("model_file") String modelFile,
    @JsonProperty("model_sha256") String modelSha256,
    @Nullable Lineage lineage) {

  /**
   * This card with another version and lineage: a retraining run records where its candidate came
   * from, and a release that adopts the candidate gives it the release's version.
   */
  public ModelCard withIdentity(String version, @Nullable Lineage lineage) {
    return new ModelCard(
        formatVersion,
        modelName,
        version,
        task,
        features,
        schema,
        labels,
        trainingData,
        tribuoVersion,
        trainer,
        evaluation,
        trainedAt,
        modelFile,
        modelSha256,
        lineage);
  }

  /**
   * Where a retrained candidate came from (docs/model.md, "Retraining"): the training data is in
   * {@code training_data} (its URI and SHA-256); this names the rest a release must be able to
   * trace back.
   *
   * @param spec the training spec's file name
   * @param specSha256 SHA-256 of the spec file, hex-encoded
   * @param job the Cloud Run job that trained it, or null when run elsewhere
   * @param execution the job's execution, or null when run elsewhere
   * @param candidate the URI of the candidate's run directory in the candidates bucket
   */
  public record Lineage(
      String spec,
      @JsonProperty("spec_sha256") String specSha256,
      @Nullable String job,
      @Nullable String execution,
      String candidate) {}

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
  public record Trainer(String name, Map<String, String> hyperparameters) {}

  /**
   * Held-out metrics and the gate they were held to.
   *
   * @param accuracy fraction of held-out rows predicted correctly
   * @param macroF1 unweighted mean of the per-class F1 scores
   * @param logLoss mean negative log probability of the true label (lower is better calibrated)
   * @param positiveLabel the class ROC-AUC and PR-AUC are about, or null when they are the
   *     unweighted mean over every class (one against the rest)
   * @param rocAuc area under the ROC curve
   * @param prAuc area under the precision-recall curve (average precision)
   * @param perClass precision, recall, F1 and support for each label
   * @param confusionMatrix counts of true label (rows) against predicted label (columns)
   * @param qualityGates the gates applied during training
   */
  public record Evaluation(
      double accuracy,
      @JsonProperty("macro_f1") double macroF1,
      @JsonProperty("log_loss") double logLoss,
      @JsonProperty("positive_label") @Nullable String positiveLabel,
      @JsonProperty("roc_auc") double rocAuc,
      @JsonProperty("pr_auc") double prAuc,
      @JsonProperty("per_class") Map<String, ClassMetrics> perClass,
      @JsonProperty("confusion_matrix") ConfusionMatrix confusionMatrix,
      @JsonProperty("quality_gates") List<QualityGate> qualityGates) {

    /** The named metric ({@code accuracy}, {@code macro_f1}, {@code roc_auc}, {@code pr_auc}). */
    public double metric(String name) {
      return switch (name) {
        case "accuracy" -> accuracy;
        case "macro_f1" -> macroF1;
        case "roc_auc" -> rocAuc;
        case "pr_auc" -> prAuc;
        case "log_loss" -> logLoss;
        default -> throw new IllegalArgumentException("unknown metric " + name);
      };
    }

    /** Whether every gate passed. */
    public boolean passedGates() {
      return qualityGates.stream().allMatch(QualityGate::passed);
    }
  }

  /**
   * Metrics of one class on the held-out split.
   *
   * @param precision true positives over predicted positives
   * @param recall true positives over actual positives
   * @param f1 harmonic mean of precision and recall
   * @param support held-out rows of this class
   */
  public record ClassMetrics(double precision, double recall, double f1, int support) {}

  /**
   * Confusion matrix: {@code counts[i][j]} rows of true label {@code labels[i]} predicted as {@code
   * labels[j]}.
   *
   * @param labels the label order of rows and columns
   * @param counts the counts
   */
  public record ConfusionMatrix(List<String> labels, List<List<Integer>> counts) {}

  /**
   * A minimum a metric had to reach for the model to be written.
   *
   * @param metric the gated metric
   * @param minimum the threshold
   * @param value the model's value
   * @param passed whether the model reached it
   */
  public record QualityGate(String metric, double minimum, double value, boolean passed) {}
}
