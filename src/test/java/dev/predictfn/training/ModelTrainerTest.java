package dev.predictfn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.bundle.BundleLocation;
import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.bundle.ModelBundleReader;
import dev.predictfn.bundle.ModelBundleWriter;
import dev.predictfn.bundle.ModelCard;
import dev.predictfn.bundle.ModelCardJson;
import dev.predictfn.bundle.Sha256;
import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.Predictor;
import dev.predictfn.support.Bundles;
import io.micronaut.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Tribuo;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

/** Training is deterministic, gated, and produces bundles that load to the same model. */
class ModelTrainerTest {
  static final Path SPEC = TrainingFixtures.IRIS_SPEC;
  static final OffsetDateTime TRAINED_AT = OffsetDateTime.parse("2026-11-22T00:00:00Z");

  private static final JsonMapper MAPPER = JsonMapper.createDefault();

  @TempDir Path dir;

  static TrainingSpec irisSpec() throws Exception {
    return MAPPER.readValue(Files.readAllBytes(SPEC), TrainingSpec.class);
  }

  static byte[] irisCsv() throws Exception {
    return Files.readAllBytes(SPEC.getParent().resolve("data/iris/v1.csv"));
  }

  private static ModelTrainer.TrainedModel trainIris(String version) throws Exception {
    return new ModelTrainer().train(irisSpec(), "data/iris/v1.csv", irisCsv(), version, TRAINED_AT);
  }

  @Test
  void twoTrainingsLearnIdenticalParametersAndBytes() throws Exception {
    ModelTrainer.TrainedModel first = trainIris("1.0.0");
    ModelTrainer.TrainedModel second = trainIris("1.0.0");

    LinearSGDModel a = (LinearSGDModel) first.model();
    LinearSGDModel b = (LinearSGDModel) second.model();
    assertEquals(a.getWeightsCopy(), b.getWeightsCopy());
    assertArrayEquals(first.modelBytes(), second.modelBytes());
    assertEquals(first.card(), second.card());
  }

  @Test
  void theShippedBundleIsWhatThisCodeTrainsFromTheSpec() throws Exception {
    ModelCard shipped = new ModelCardJson().read(Bundles.builtIn(ModelBundle.CARD_FILE));

    ModelTrainer.TrainedModel retrained =
        new ModelTrainer()
            .train(
                irisSpec(),
                "data/iris/v1.csv",
                irisCsv(),
                shipped.modelVersion(),
                OffsetDateTime.parse(shipped.trainedAt()));

    assertArrayEquals(Bundles.builtIn(ModelBundle.MODEL_FILE), retrained.modelBytes());
    assertEquals(shipped, retrained.card());
  }

  @Test
  void bundleRoundTripPredictsAll150RowsIdentically() throws Exception {
    ModelTrainer.TrainedModel trained = trainIris("2.0.0");
    ModelCardJson json = new ModelCardJson();
    new ModelBundleWriter(json).write(dir.resolve("bundle"), trained.card(), trained.modelBytes());

    ModelBundle loaded =
        new ModelBundleReader(json)
            .read(BundleLocation.directory(dir.resolve("bundle")), List.of());

    Predictor original = new Predictor(new ModelBundle(trained.card(), trained.model()));
    Predictor reloaded = new Predictor(loaded);
    List<double[]> iris = TrainingFixtures.irisRows();
    assertEquals(150, iris.size());
    List<PredictionResult> expected = original.predictAll(iris);
    assertEquals(expected, reloaded.predictAll(iris));
    for (int i = 0; i < iris.size(); i++) {
      assertEquals(expected.get(i), reloaded.predict(iris.get(i)), "row " + i);
    }
  }

  @Test
  void cardRecordsIdentityLineageSettingsAndHeldOutMetrics() throws Exception {
    ModelTrainer.TrainedModel trained = trainIris("3.1.4");
    ModelCard card = trained.card();

    assertEquals("iris-sgd", card.modelName());
    assertEquals("3.1.4", card.modelVersion());
    assertEquals(
        List.of("sepal_length", "sepal_width", "petal_length", "petal_width"), card.features());
    assertEquals(List.of("setosa", "versicolor", "virginica"), card.labels());
    assertEquals(Sha256.hex(irisCsv()), card.trainingData().sha256());
    assertEquals("data/iris/v1.csv", card.trainingData().path());
    assertEquals(150, card.trainingData().rows());
    assertEquals(105, card.trainingData().trainRows());
    assertEquals(45, card.trainingData().testRows());
    assertEquals(Tribuo.VERSION, card.tribuoVersion());
    assertEquals("100", card.trainer().hyperparameters().get("epochs"));
    assertEquals("0.5", card.trainer().hyperparameters().get("learning_rate"));
    assertEquals("1", card.trainer().hyperparameters().get("seed"));
    assertEquals(TRAINED_AT.toString(), card.trainedAt());
    assertEquals(Sha256.hex(trained.modelBytes()), card.modelSha256());

    ModelCard.Evaluation eval = card.evaluation();
    assertTrue(eval.accuracy() >= 0.93, "accuracy " + eval.accuracy());
    assertTrue(eval.macroF1() > 0.9 && eval.macroF1() <= 1.0);
    assertTrue(eval.logLoss() > 0 && eval.logLoss() < 0.5, "log loss " + eval.logLoss());
    assertEquals(card.labels(), List.copyOf(eval.perClass().keySet()));
    eval.perClass().values().forEach(m -> assertEquals(15, m.support()));
    int total = 0;
    int diagonal = 0;
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        int count = eval.confusionMatrix().counts().get(i).get(j);
        total += count;
        diagonal += i == j ? count : 0;
      }
    }
    assertEquals(45, total);
    assertEquals(eval.accuracy(), diagonal / 45.0, 1e-12);
    assertEquals(
        List.of(new ModelCard.QualityGate("accuracy", 0.93, eval.accuracy(), true)),
        eval.qualityGates());
  }

  @Test
  void modelProvenanceCarriesNoBuildMachineFacts() throws Exception {
    String text = new String(trainIris("1.0.0").modelBytes(), StandardCharsets.ISO_8859_1);

    assertFalse(text.contains(System.getProperty("user.dir")), "build directory in the model");
    assertFalse(text.contains(System.getProperty("java.version")), "JVM version in the model");
    assertFalse(text.contains(System.getProperty("os.arch")), "architecture in the model");
  }

  @Test
  void gateFailsAModelThatLearnedNothing() throws Exception {
    TrainingSpec spec = irisSpec();

    ModelTrainer.TrainedModel trained =
        new ModelTrainer()
            .train(spec, "noise.csv", TrainingFixtures.noiseCsv(), "0.0.1", TRAINED_AT);

    assertFalse(trained.passedGates(), "accuracy " + trained.card().evaluation().accuracy());
    assertTrue(trained.card().evaluation().accuracy() < 0.93);
  }
}
