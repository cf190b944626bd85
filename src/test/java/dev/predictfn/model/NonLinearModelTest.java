package dev.predictfn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.bundle.BundleLocation;
import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.bundle.ModelBundleReader;
import dev.predictfn.bundle.ModelBundleWriter;
import dev.predictfn.bundle.ModelCard;
import dev.predictfn.bundle.ModelCardJson;
import dev.predictfn.bundle.Sha256;
import dev.predictfn.support.HttpAnswer;
import dev.predictfn.support.HttpCall;
import dev.predictfn.support.Json;
import dev.predictfn.support.NettyTransport;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.ensemble.WeightedEnsembleModel;

/**
 * A verified bundle may hold a classifier that is not linear (MODEL_PATH): it serves, and asking it
 * for explanations is the caller's 400, never a 500.
 */
class NonLinearModelTest {
  @TempDir Path dir;

  @Test
  void explainingANonLinearModelIsA400OnEveryRoute() throws Exception {
    Map<String, Object> properties =
        Map.of(
            "micronaut.server.port",
            -1,
            "predict.model.path",
            writeEnsembleBundle().toString(),
            "predict.vertex.predict-route",
            "/v1/endpoints/1/deployedModels/2:predict",
            "predict.vertex.health-route",
            "/v1/endpoints/1/deployedModels/2");
    try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties)) {
      NettyTransport http = new NettyTransport(URI.create(server.getURL().toString()));

      assertEquals(
          200,
          http.send(HttpCall.postJson("/predict", "{\"features\":[5.1,3.5,1.4,0.2]}")).status());
      for (HttpCall call :
          List.of(
              HttpCall.postJson("/predict?explain=true", "{\"features\":[5.1,3.5,1.4,0.2]}"),
              HttpCall.postJson(
                  "/v1/endpoints/1/deployedModels/2:predict",
                  "{\"instances\":[[5.1,3.5,1.4,0.2]],\"parameters\":{\"explain\":true}}"))) {
        HttpAnswer answer = http.send(call);
        assertEquals(400, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.mediaType());
        assertTrue(
            Json.parse(answer.body())
                .get("detail")
                .getStringValue()
                .startsWith("Explanations are exact only for linear models"),
            answer.body());
      }
    }
  }

  @Test
  void tribuosOwnScoringGivesEachResultItsLabelsPosition() throws Exception {
    ModelBundle bundle =
        new ModelBundleReader(new ModelCardJson())
            .read(BundleLocation.directory(writeEnsembleBundle()), List.of());
    List<double[]> rows =
        List.of(
            new double[] {5.1, 3.5, 1.4, 0.2},
            new double[] {6.0, 2.7, 4.1, 1.1},
            new double[] {6.7, 3.0, 5.2, 2.3});
    LinearScorerTest.assertLabelsKnowTheirPlace(
        new Predictor(bundle).predictAll(rows), bundle.card().labels());
  }

  /**
   * A probabilistic classifier that is not linear in Tribuo's terms: the shipped model wrapped in a
   * weighted ensemble, written as a bundle.
   */
  @SuppressWarnings("unchecked")
  private Path writeEnsembleBundle() throws Exception {
    ModelCardJson json = new ModelCardJson();
    ModelBundle shipped =
        new ModelBundleReader(json).read(BundleLocation.classpath("model"), List.of());
    Model<Label> ensemble =
        WeightedEnsembleModel.createEnsembleFromExistingModels(
            "ensemble",
            List.of(shipped.model(), shipped.model()),
            new FullyWeightedVotingCombiner());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ensemble.serializeToStream(bytes);
    ModelCard card = shipped.card();
    ModelCard ensembleCard =
        new ModelCard(
            card.formatVersion(),
            "iris-ensemble",
            card.modelVersion(),
            card.task(),
            card.features(),
            card.schema(),
            card.labels(),
            card.trainingData(),
            card.tribuoVersion(),
            card.trainer(),
            card.evaluation(),
            card.trainedAt(),
            ModelBundle.MODEL_FILE,
            Sha256.hex(bytes.toByteArray()),
            null);
    Path bundle = dir.resolve("bundle");
    new ModelBundleWriter(json).write(bundle, ensembleCard, bytes.toByteArray());
    return bundle;
  }
}
