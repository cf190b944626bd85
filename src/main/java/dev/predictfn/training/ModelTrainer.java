package dev.predictfn.training;

import dev.predictfn.model.ModelBundle;
import dev.predictfn.model.ModelCard;
import dev.predictfn.model.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Tribuo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
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
   */
  public record TrainedModel(Model<Label> model, byte[] modelBytes, ModelCard card) {
    /** Whether the model reached the spec's quality gate. */
    public boolean passedGate() {
      return card.evaluation().qualityGate().passed();
    }
  }

  /**
   * Trains on {@code csv} as {@code spec} says.
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
    LabeledTable table =
        LabeledTable.parse(dataName, csv, spec.featureColumns(), spec.labelColumn());
    String dataSha = Sha256.hex(csv);
    StratifiedSplit split = StratifiedSplit.of(table.labels(), spec.testFraction(), spec.seed());

    MutableDataset<Label> train =
        dataset(table, split.train(), dataName, dataSha, "train", trainedAt);
    MutableDataset<Label> test = dataset(table, split.test(), dataName, dataSha, "test", trainedAt);

    ReproducibleSgdTrainer trainer =
        new ReproducibleSgdTrainer(spec.trainer(), spec.seed(), trainedAt);
    Model<Label> model = trainer.train(train);
    LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, test);
    byte[] modelBytes = serialize(model);

    List<String> labels = List.copyOf(new TreeSet<>(table.labels()));
    ModelCard card =
        new ModelCard(
            ModelBundle.FORMAT_VERSION,
            spec.modelName(),
            modelVersion,
            ModelBundle.TASK,
            table.features(),
            labels,
            new ModelCard.TrainingData(
                dataName,
                dataSha,
                table.size(),
                split.train().size(),
                split.test().size(),
                spec.labelColumn(),
                "stratified, test_fraction " + spec.testFraction() + ", seed " + spec.seed()),
            Tribuo.VERSION,
            new ModelCard.Trainer(TRAINER_NAME, hyperparameters(spec)),
            evaluation(evaluation, labels, spec.gate()),
            trainedAt.toString(),
            ModelBundle.MODEL_FILE,
            Sha256.hex(modelBytes));
    return new TrainedModel(model, modelBytes, card);
  }

  private static MutableDataset<Label> dataset(
      LabeledTable table,
      List<Integer> indices,
      String dataName,
      String dataSha,
      String part,
      OffsetDateTime createdAt) {
    String[] names = table.features().toArray(String[]::new);
    List<Example<Label>> examples = new ArrayList<>(indices.size());
    for (int i : indices) {
      examples.add(
          new ArrayExample<>(
              LABELS.generateOutput(table.labels().get(i)), names, table.rows().get(i)));
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
    settings.put("optimiser", "AdaGrad");
    settings.put("learning_rate", Double.toString(spec.trainer().learningRate()));
    settings.put("epsilon", Double.toString(spec.trainer().epsilon()));
    settings.put("epochs", Integer.toString(spec.trainer().epochs()));
    settings.put("minibatch_size", Integer.toString(spec.trainer().minibatchSize()));
    settings.put("seed", Long.toString(spec.seed()));
    return settings;
  }

  private static ModelCard.Evaluation evaluation(
      LabelEvaluation evaluation, List<String> labels, TrainingSpec.Gate gate) {
    Map<String, ModelCard.ClassMetrics> perClass = new LinkedHashMap<>();
    List<List<Integer>> counts = new ArrayList<>();
    for (String truth : labels) {
      Label label = new Label(truth);
      perClass.put(
          truth,
          new ModelCard.ClassMetrics(
              evaluation.precision(label),
              evaluation.recall(label),
              evaluation.f1(label),
              (int) evaluation.getConfusionMatrix().support(label)));
      List<Integer> row = new ArrayList<>();
      for (String predicted : labels) {
        row.add((int) evaluation.getConfusionMatrix().confusion(new Label(predicted), label));
      }
      counts.add(List.copyOf(row));
    }
    double accuracy = evaluation.accuracy();
    return new ModelCard.Evaluation(
        accuracy,
        evaluation.macroAveragedF1(),
        logLoss(evaluation.getPredictions()),
        perClass,
        new ModelCard.ConfusionMatrix(labels, counts),
        new ModelCard.QualityGate("accuracy", gate.minAccuracy(), accuracy >= gate.minAccuracy()));
  }

  /** Mean of -ln p(true label), with p floored at 1e-15 so one confident miss stays finite. */
  private static double logLoss(List<Prediction<Label>> predictions) {
    double sum = 0;
    for (Prediction<Label> prediction : predictions) {
      String truth = prediction.getExample().getOutput().getLabel();
      Label scored = prediction.getOutputScores().get(truth);
      double p = scored == null ? 0 : scored.getScore();
      sum -= Math.log(Math.max(p, 1e-15));
    }
    return sum / predictions.size();
  }
}
