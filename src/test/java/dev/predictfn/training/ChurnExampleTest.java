package dev.predictfn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.bundle.ModelCard;
import io.micronaut.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.classification.Label;

/**
 * The churn example: its data is the generator's output for the committed seed, it is imbalanced as
 * real churn is, the model clears its gates, and serving encodes every row exactly as Tribuo's row
 * processing did in training.
 */
class ChurnExampleTest {
  private static final Path DATA = Path.of("src/main/training/data/churn/v1.csv");
  private static TrainingSpec spec;
  private static byte[] csv;
  private static ModelTrainer.TrainedModel trained;

  @BeforeAll
  static void train() throws Exception {
    spec = TrainingSpecs.read(JsonMapper.createDefault(), TrainingFixtures.CHURN_SPEC);
    csv = Files.readAllBytes(DATA);
    trained =
        new ModelTrainer()
            .train(spec, spec.data(), csv, "1.0.0", OffsetDateTime.parse("2026-01-01T00:00Z"));
  }

  @Test
  void committedDataIsTheGeneratorsOutputForSeed7() {
    assertArrayEquals(
        ChurnDataGenerator.generate(5000, 7, 0).getBytes(StandardCharsets.UTF_8),
        csv,
        "regenerate with: tools churn-data --rows 5000 --seed 7 --output " + DATA);
  }

  @Test
  void aboutAQuarterOfCustomersChurn() {
    long churned =
        new String(csv, StandardCharsets.UTF_8).lines().filter(l -> l.endsWith(",yes")).count();
    double rate = churned / 5000.0;
    assertTrue(rate >= 0.2 && rate <= 0.3, "churn rate " + rate);
  }

  @Test
  void theBinaryModelClearsItsPrAucGateAndReportsRocAuc() {
    ModelCard.Evaluation eval = trained.card().evaluation();
    assertEquals("yes", eval.positiveLabel());
    assertTrue(eval.prAuc() >= 0.60, "pr_auc " + eval.prAuc());
    assertTrue(eval.rocAuc() > eval.prAuc(), "roc_auc " + eval.rocAuc());
    assertTrue(trained.passedGates());
  }

  @Test
  void servingEncodesEveryRowAsTribuosRowProcessingDid() {
    ModelCard card = trained.card();
    InputSchema schema = InputSchema.of(card);
    TrainingTable table = TrainingTable.read(spec.data(), csv, spec);
    TribuoRows rows = new TribuoRows(table, card.schema(), spec.labelColumn());
    for (int r = 0; r < table.size(); r++) {
      double[] row = new double[schema.size()];
      for (int f = 0; f < schema.size(); f++) {
        TrainingTable.FeatureColumn column = table.columns().get(f);
        row[f] =
            column.numeric()
                ? column.numbers()[r]
                : schema.categoryValue(f, column.categories()[r]);
      }
      assertEquals(
          features(rows.example(r)), features(schema.example(row)), "line " + table.line(r));
    }
  }

  @Test
  void theCardRecordsTheSchemaAndTrainingStatistics() {
    ModelCard card = trained.card();
    assertEquals(spec.features().size(), card.schema().size());
    var tenure = card.schema().get(0).numeric();
    assertEquals(3750, tenure.count());
    assertEquals(tenure.binEdges().size() + 1, tenure.binFractions().size());
    assertEquals(1.0, tenure.binFractions().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    var contract = card.schema().get(2).categorical();
    assertEquals(3750L, contract.frequencies().values().stream().mapToLong(Long::longValue).sum());
    assertEquals("reject", card.schema().get(2).unknown());
    assertEquals("other", card.schema().get(4).unknown());
  }

  private static Map<String, Double> features(Example<Label> example) {
    Map<String, Double> features = new TreeMap<>();
    for (Feature feature : example) {
      features.put(feature.getName(), feature.getValue());
    }
    return features;
  }
}
