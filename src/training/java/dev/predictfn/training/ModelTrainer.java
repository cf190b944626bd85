package dev.predictfn.training;

import dev.predictfn.bundle.FeatureSchema;
import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.bundle.ModelCard;
import dev.predictfn.bundle.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Tribuo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains, evaluates and describes a model from a {@link TrainingSpec} and its data.
 *
 * <p>Deterministic: the same spec, data, version and timestamp give identical model bytes.
 */
public final class ModelTrainer {
  private static final LabelFactory LABELS = new LabelFactory();

  /** The trainer named in cards: the Tribuo class doing the work, not its provenance wrapper. */
  private static final String TRAINER_NAME = LinearSGDTrainer.class.getName();

  /**
   * A trained model with its serialized bytes and card.
   *
   * @param model the model
   * @param modelBytes the model in Tribuo's protobuf format
   * @param card the card describing it
   * @param comparisonSet the held-out rows as CSV (the spec's features and label column): the
   *     labelled rows the release's shadow gate scores the serving and the new revision on
   */
  public record TrainedModel(
      Model<Label> model, byte[] modelBytes, ModelCard card, byte[] comparisonSet) {
    /** Whether the model reached every quality gate of the spec. */
    public boolean passedGates() {
      return card.evaluation().passedGates();
    }
  }

  /**
   * Trains on {@code csv} as {@code spec} says, without progress output.
   *
   * @param spec what to train
   * @param dataName the CSV path as recorded in the card (relative to the spec)
   * @param csv the CSV bytes
   * @param modelVersion the version written into the card
   * @param trainedAt the training time recorded in the card and the model's provenance
   */
  public TrainedModel train(
      TrainingSpec spec,
      String dataName,
      byte[] csv,
      String modelVersion,
      OffsetDateTime trainedAt) {
    return train(spec, dataName, csv, modelVersion, trainedAt, PrintStream.nullOutputStream());
  }

  /** As {@link #train(TrainingSpec, String, byte[], String, OffsetDateTime)}, printing progress. */
  public TrainedModel train(
      TrainingSpec spec,
      String dataName,
      byte[] csv,
      String modelVersion,
      OffsetDateTime trainedAt,
      OutputStream progress) {
    TrainingTable table = TrainingTable.read(dataName, csv, spec);
    if (spec.positiveLabel() != null && !table.labels().contains(spec.positiveLabel())) {
      throw new TrainingException(
          dataName
              + ", column "
              + spec.labelColumn()
              + ": positive_label '"
              + spec.positiveLabel()
              + "' never occurs; labels are "
              + new TreeSet<>(table.labels()));
    }
    String dataSha = Sha256.hex(csv);
    StratifiedSplit split =
        StratifiedSplit.of(table.labels(), spec.split().testFraction(), spec.split().seed());

    List<FeatureSchema> schema = new ArrayList<>();
    for (TrainingTable.FeatureColumn column : table.columns()) {
      schema.add(FeatureStatistics.describe(column, split.train()));
    }
    TribuoRows rows = new TribuoRows(table, schema, spec.labelColumn());
    MutableDataset<Label> train =
        dataset(rows, split.train(), dataName, dataSha, "train", trainedAt);
    MutableDataset<Label> test = dataset(rows, split.test(), dataName, dataSha, "test", trainedAt);

    int minibatch = spec.trainer().minibatchSize();
    int stepsPerEpoch = (split.train().size() + minibatch - 1) / minibatch;
    ReproducibleSgdTrainer trainer =
        new ReproducibleSgdTrainer(spec.trainer(), spec.split().seed(), stepsPerEpoch, trainedAt);
    Model<Label> model;
    PrintStream out = new PrintStream(progress, true, StandardCharsets.UTF_8);
    try (TrainingProgress printer =
        new TrainingProgress(
            out, spec.trainer().epochs(), stepsPerEpoch, split.train().size(), minibatch)) {
      model = trainer.train(train);
    }
    LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, test);
    byte[] modelBytes = serialize(model);

    List<String> labels = List.copyOf(new TreeSet<>(table.labels()));
    ModelCard card =
        new ModelCard(
            ModelBundle.FORMAT_VERSION,
            spec.modelName(),
            modelVersion,
            ModelBundle.TASK,
            schema.stream().map(FeatureSchema::name).toList(),
            List.copyOf(schema),
            labels,
            new ModelCard.TrainingData(
                dataName,
                dataSha,
                table.size(),
                split.train().size(),
                split.test().size(),
                spec.labelColumn(),
                "stratified, test_fraction "
                    + spec.split().testFraction()
                    + ", seed "
                    + spec.split().seed()),
            Tribuo.VERSION,
            new ModelCard.Trainer(TRAINER_NAME, hyperparameters(spec)),
            ModelEvaluation.of(evaluation, labels, spec.positiveLabel(), spec.gates()),
            trainedAt.toString(),
            ModelBundle.MODEL_FILE,
            Sha256.hex(modelBytes),
            null);
    return new TrainedModel(
        model, modelBytes, card, ComparisonSet.write(table, split.test(), spec.labelColumn()));
  }

  private static MutableDataset<Label> dataset(
      TribuoRows rows,
      List<Integer> indices,
      String dataName,
      String dataSha,
      String part,
      OffsetDateTime createdAt) {
    List<Example<Label>> examples = new ArrayList<>(indices.size());
    for (int i : indices) {
      examples.add(rows.example(i));
    }
    // The provenance names the data by relative path and digest, never by a build machine's path.
    SimpleDataSourceProvenance provenance =
        new SimpleDataSourceProvenance(
            dataName + " sha256=" + dataSha + " " + part + " rows=" + indices.size(),
            createdAt,
            LABELS);
    return new MutableDataset<>(new ListDataSource<>(examples, LABELS, provenance));
  }

  private static byte[] serialize(Model<Label> model) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      model.serializeToStream(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Map<String, String> hyperparameters(TrainingSpec spec) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("objective", "LogMulticlass (multinomial logistic regression)");
    settings.put("optimiser", spec.trainer().optimiserName());
    settings.put("learning_rate", Double.toString(spec.trainer().learningRate()));
    settings.put("epsilon", Double.toString(spec.trainer().epsilon()));
    settings.put("epochs", Integer.toString(spec.trainer().epochs()));
    settings.put("minibatch_size", Integer.toString(spec.trainer().minibatchSize()));
    settings.put("seed", Long.toString(spec.split().seed()));
    return settings;
  }
}
