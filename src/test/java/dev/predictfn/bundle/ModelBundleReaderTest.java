package dev.predictfn.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.support.Bundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each refusal names the file, what was expected and what was found. */
class ModelBundleReaderTest {
  private static final List<String> IRIS =
      List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

  private final ModelBundleReader reader = new ModelBundleReader(new ModelCardJson());

  @TempDir Path dir;

  @Test
  void readsTheBuiltInBundleFromTheClasspath() throws Exception {
    ModelBundle bundle = reader.read(BundleLocation.classpath("model"), IRIS);

    assertEquals(IRIS, bundle.features());
    assertEquals(List.of("setosa", "versicolor", "virginica"), bundle.card().labels());
    assertEquals(Sha256.hex(Bundles.builtIn(ModelBundle.MODEL_FILE)), bundle.card().modelSha256());
  }

  @Test
  void readsACopyFromADirectory() throws Exception {
    ModelBundle bundle = reader.read(BundleLocation.directory(Bundles.copy(dir)), List.of());

    assertEquals("iris-sgd", bundle.card().modelName());
  }

  @Test
  void refusesAModelWhoseDigestDiffersFromTheCard() {
    Path bundle = Bundles.withCorruptModel(dir);
    String expected = cardField("model_sha256");

    String message = refusal(bundle, List.of());

    assertTrue(
        message.startsWith(bundle.resolve("model.tribuo") + ": SHA-256 expected " + expected),
        message);
    assertTrue(
        message.contains("but was " + Sha256.hex(read(bundle.resolve("model.tribuo")))), message);
  }

  @Test
  void refusesABundleTrainedByAnotherTribuoVersion() {
    Path bundle =
        Bundles.withCard(
            dir,
            card ->
                card.replace("\"tribuo_version\" : \"4.3.2\"", "\"tribuo_version\" : \"4.2.1\""));

    String message = refusal(bundle, List.of());

    assertTrue(
        message.contains("tribuo_version expected 4.3.2 (the version serving) but was 4.2.1"),
        message);
    assertTrue(message.startsWith(bundle.resolve("model-card.json").toString()), message);
  }

  @Test
  void refusesACardWhoseFeaturesAreNotTheModels() {
    Path bundle =
        Bundles.withCard(
            dir,
            card ->
                card.replace("\"petal_width\" ]", "\"petal_wdth\" ]")
                    .replace("\"name\" : \"petal_width\"", "\"name\" : \"petal_wdth\""));

    String message = refusal(bundle, List.of());

    assertTrue(
        message.contains("features expected [petal_length, petal_wdth, sepal_length, sepal_width]"),
        message);
    assertTrue(
        message.contains(
            "but the model has [petal_length, petal_width, sepal_length, sepal_width]"),
        message);
  }

  @Test
  void refusesABundleWhoseFeaturesDifferFromTheConfiguredList() {
    List<String> pinned = List.of("sepal_width", "sepal_length", "petal_length", "petal_width");

    String message = refusal(Bundles.copy(dir), pinned);

    assertTrue(
        message.contains(
            "features expected " + pinned + " (predict.model.expected-features) but was " + IRIS),
        message);
  }

  @Test
  void refusesACardThatIsNotJson() throws Exception {
    Bundles.copy(dir);
    Files.writeString(dir.resolve("model-card.json"), "not json");

    assertTrue(refusal(dir, List.of()).contains("model-card.json: is not a valid model card"));
  }

  @Test
  void refusesAMissingDirectory() {
    Path missing = dir.resolve("nothing-here");

    assertTrue(
        refusal(missing, List.of())
            .startsWith(missing.resolve("model-card.json") + ": cannot be read"));
  }

  @Test
  void refusesAnUnknownCardFormat() {
    Path bundle =
        Bundles.withCard(
            dir, card -> card.replace("\"format_version\" : 2", "\"format_version\" : 1"));

    assertTrue(refusal(bundle, List.of()).contains("format_version expected 2 but was 1"));
  }

  private String refusal(Path bundle, List<String> expectedFeatures) {
    return assertThrows(
            InvalidBundleException.class,
            () -> reader.read(BundleLocation.directory(bundle), expectedFeatures))
        .getMessage();
  }

  private static String cardField(String name) {
    String card =
        new String(Bundles.builtIn("model-card.json"), java.nio.charset.StandardCharsets.UTF_8);
    int at = card.indexOf("\"" + name + "\" : \"") + name.length() + 6;
    return card.substring(at, card.indexOf('"', at));
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
