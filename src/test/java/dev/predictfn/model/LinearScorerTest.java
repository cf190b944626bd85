package dev.predictfn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.bundle.BundleLocation;
import dev.predictfn.bundle.InputSchema;
import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.bundle.ModelBundleReader;
import dev.predictfn.bundle.ModelCardJson;
import dev.predictfn.support.Bundles;
import dev.predictfn.training.TrainingFixtures;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.Hinge;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.SGD;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The scorer's probabilities and labels are Tribuo's to the last bit: on the numeric Iris model and
 * on the categorical churn model (standardised numbers, one-hot categories, unseen categories
 * mapped to {@code other}), over rows from ordinary to overflowing, so that every output the
 * service and the batch job write stays the same byte for byte.
 */
class LinearScorerTest {

  @TempDir Path dir;

  @Test
  void irisProbabilitiesAreTribuosBitForBit() {
    ModelBundle bundle = Bundles.readBuiltIn();
    LinearScorer scorer = scorer(bundle);
    SplittableRandom random = new SplittableRandom(1);
    int[] outcomes = new int[2];
    for (int r = 0; r < 50_000; r++) {
      double[] row = new double[4];
      for (int f = 0; f < row.length; f++) {
        row[f] = value(random);
      }
      outcomes[agree(bundle, scorer, row) ? 0 : 1]++;
    }
    assertTrue(outcomes[0] > 40_000, "scored rows: " + outcomes[0]);
    assertTrue(outcomes[1] > 100, "overflowing rows: " + outcomes[1]);
  }

  @Test
  void churnProbabilitiesAreTribuosBitForBitWithEveryCategoryAndOther() throws Exception {
    ModelBundle bundle = churn();
    InputSchema schema = bundle.schema();
    LinearScorer scorer = scorer(bundle);
    SplittableRandom random = new SplittableRandom(2);
    int unseen = 0;
    for (int r = 0; r < 50_000; r++) {
      double[] row = new double[schema.size()];
      for (int f = 0; f < row.length; f++) {
        if (schema.isCategorical(f)) {
          int known = schema.categories(f).size();
          boolean other = schema.categoryValue(f, "no such category") == -1;
          row[f] =
              other && random.nextInt(5) == 0
                  ? InputSchema.UNKNOWN_CATEGORY
                  : random.nextInt(known);
          unseen += row[f] < 0 ? 1 : 0;
        } else {
          row[f] = value(random);
        }
      }
      agree(bundle, scorer, row);
    }
    assertTrue(unseen > 1000, "rows with an unseen category: " + unseen);
  }

  @Test
  void aModelWithoutTheSoftmaxHasNoScorerAndTribuoAnswersForIt() {
    ModelBundle iris = Bundles.readBuiltIn();
    MutableDataset<Label> data =
        new MutableDataset<>(
            new SimpleDataSourceProvenance("hinge", new LabelFactory()), new LabelFactory());
    String[] names = iris.schema().encodedNames().toArray(String[]::new);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 90; i++) {
      double[] values = new double[names.length];
      for (int f = 0; f < values.length; f++) {
        values[f] = random.nextDouble() + i % 3;
      }
      data.add(new ArrayExample<>(new Label(iris.card().labels().get(i % 3)), names, values));
    }
    Model<Label> hinge =
        new LinearSGDTrainer(new Hinge(), SGD.getSimpleSGD(0.1), 2, 1L).train(data);

    assertTrue(LinearScorer.of(hinge, iris.schema(), iris.card().labels()).isEmpty());
    assertTrue(LinearScorer.of(iris.model(), iris.schema(), iris.card().labels()).isPresent());
  }

  @Test
  void predictAllIsTheBatchOfPredictAndNamesTheFirstOverflowingRow() {
    Predictor predictor = new Predictor(Bundles.readBuiltIn());
    double[] fine = {5.1, 3.5, 1.4, 0.2};
    double[] huge = {1e308, 1e308, 1e308, 1e308};
    List<PredictionResult> results =
        predictor.predictAll(List.of(fine, new double[] {6.7, 3, 5.2, 2.3}));
    assertEquals(predictor.predict(fine), results.get(0));
    assertEquals("virginica", results.get(1).label());
    UnscorableRowException failure =
        assertThrows(
            UnscorableRowException.class,
            () -> predictor.predictAll(List.of(fine, fine, huge, huge)));
    assertEquals(2, failure.row());
  }

  @Test
  void everyResultKnowsWhereItsLabelIsAmongTheCards() throws Exception {
    for (ModelBundle bundle : List.of(Bundles.readBuiltIn(), churn())) {
      InputSchema schema = bundle.schema();
      SplittableRandom random = new SplittableRandom(4);
      List<double[]> rows = new java.util.ArrayList<>();
      for (int r = 0; r < 2_000; r++) {
        double[] row = new double[schema.size()];
        for (int f = 0; f < row.length; f++) {
          row[f] =
              schema.isCategorical(f)
                  ? random.nextInt(schema.categories(f).size())
                  : random.nextDouble() * 8 - 1;
        }
        rows.add(row);
      }
      assertLabelsKnowTheirPlace(new Predictor(bundle).predictAll(rows), bundle.card().labels());
    }
  }

  /**
   * Asserts that each result's {@link PredictionResult#labelIndex} is its label's position in the
   * card's labels, and that the results predicted every label.
   */
  static void assertLabelsKnowTheirPlace(List<PredictionResult> results, List<String> labels) {
    java.util.Set<String> predicted = new java.util.HashSet<>();
    for (PredictionResult result : results) {
      assertEquals(labels.indexOf(result.label()), result.labelIndex(), result.label());
      assertEquals(result.label(), result.labelAt(result.labelIndex()));
      predicted.add(result.label());
    }
    assertEquals(java.util.Set.copyOf(labels), predicted);
  }

  /** A value as rows hold them: mostly ordinary, sometimes negative, zero, tiny or huge. */
  private static double value(SplittableRandom random) {
    return switch (random.nextInt(20)) {
      case 0 -> 0.0;
      case 1 -> -0.0;
      case 2 -> random.nextDouble() * 1e-300;
      case 3 -> (random.nextBoolean() ? 1 : -1) * random.nextDouble() * 1e308;
      case 4 -> (random.nextBoolean() ? 1 : -1) * random.nextDouble() * 1e6;
      default -> random.nextDouble() * 10 - 2;
    };
  }

  /**
   * Asserts the scorer gives Tribuo's answer for {@code row}; returns whether the row was scorable.
   */
  private static boolean agree(ModelBundle bundle, LinearScorer scorer, double[] row) {
    List<String> labels = bundle.card().labels();
    Prediction<Label> prediction = bundle.model().predict(bundle.schema().example(row));
    Map<String, Label> scores = prediction.getOutputScores();
    boolean scorable = prediction.getOutput() != null;
    double[] expected = new double[labels.size()];
    for (int c = 0; c < labels.size(); c++) {
      expected[c] = scores.get(labels.get(c)).getScore();
      scorable &= Double.isFinite(expected[c]);
    }
    double[] probabilities = new double[labels.size()];
    int predicted = scorer.score(row, scorer.scratch(), probabilities);
    String where = Arrays.toString(row);
    if (!scorable) {
      assertEquals(LinearScorer.UNSCORABLE, predicted, where);
      return false;
    }
    assertTrue(predicted >= 0, where);
    assertEquals(prediction.getOutput().getLabel(), scorer.label(predicted), where);
    for (int c = 0; c < labels.size(); c++) {
      assertEquals(
          Double.doubleToRawLongBits(expected[c]),
          Double.doubleToRawLongBits(probabilities[c]),
          where + " " + labels.get(c));
    }
    return true;
  }

  private static LinearScorer scorer(ModelBundle bundle) {
    return LinearScorer.of(bundle.model(), bundle.schema(), bundle.card().labels()).orElseThrow();
  }

  private ModelBundle churn() throws Exception {
    Path bundle = TrainingFixtures.trainChurn(dir.resolve("churn"));
    return new ModelBundleReader(new ModelCardJson())
        .read(BundleLocation.directory(bundle), List.of());
  }
}
