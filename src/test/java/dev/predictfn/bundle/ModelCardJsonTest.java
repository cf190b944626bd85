package dev.predictfn.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.predictfn.support.Bundles;
import dev.predictfn.training.TrainingFixtures;
import io.micronaut.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The card's encoding without an object mapper writes and reads what Micronaut Serde, which did it
 * before and still answers {@code GET /model}, writes and reads: the same bytes for every kind of
 * card (numeric and categorical features, a lineage, a metric that is not a number, empty and null
 * parts), the same records from the same text however lenient, and the built-in card's file byte
 * for byte.
 */
class ModelCardJsonTest {
  private static final JsonMapper SERDE = JsonMapper.createDefault();
  private static final JsonFactory JSON = new JsonFactory();

  private final ModelCardJson codec = new ModelCardJson();

  @TempDir Path dir;

  @Test
  void theBuiltInCardReadsAndWritesBackByteForByte() throws IOException {
    byte[] file = Bundles.builtIn(ModelBundle.CARD_FILE);
    assertArrayEquals(file, codec.write(codec.read(file)));
  }

  @Test
  void everyKindOfCardIsWrittenAndReadAsSerdeDoes() throws IOException {
    for (ModelCard card : cards()) {
      byte[] written = codec.write(card);
      assertEquals(
          new String(serdeWrite(card), StandardCharsets.UTF_8),
          new String(written, StandardCharsets.UTF_8));
      assertEquals(SERDE.readValue(written, ModelCard.class), codec.read(written));
    }
  }

  @Test
  void readsWhatSerdeTakesAsSerdeReadsIt() throws IOException {
    String file = new String(Bundles.builtIn(ModelBundle.CARD_FILE), StandardCharsets.UTF_8);
    List<String> variants =
        List.of(
            file.replaceFirst("\\{", "{\"added_later\" : [ 1, { \"x\" : [ ] } ], "),
            file.replace("\"task\" : \"classification\",", ""),
            file.replace("\"task\" : \"classification\",", "\"task\" : null,"),
            file.replace("\"format_version\" : 2,", ""),
            file.replace("\"format_version\" : 2,", "\"format_version\" : \"2\","),
            file.replace("\"format_version\" : 2,", "\"format_version\" : 2.0,"),
            file.replace("\"roc_auc\" : 1.0,", "\"roc_auc\" : \"NaN\","),
            file.replace("\"count\" : 105,", "\"count\" : \"105\","),
            file.replace("\"standardize\" : false,", "\"standardize\" : \"true\","));
    for (String variant : variants) {
      byte[] bytes = variant.getBytes(StandardCharsets.UTF_8);
      assertEquals(SERDE.readValue(bytes, ModelCard.class), codec.read(bytes), variant);
    }
  }

  @Test
  void aValueOfTheWrongKindIsRefusedWithItsName() {
    String file = new String(Bundles.builtIn(ModelBundle.CARD_FILE), StandardCharsets.UTF_8);
    Map<String, String> wrong =
        Map.of(
            "format_version",
            file.replace("\"format_version\" : 2,", "\"format_version\" : \"two\","),
            "features",
            file.replace("\"features\" : [", "\"features\" : 3, \"x\" : ["),
            "standardize",
            file.replace("\"standardize\" : false,", "\"standardize\" : 0,"),
            "the card",
            "[ ]");
    wrong.forEach(
        (name, text) -> {
          IOException e =
              assertThrows(
                  IOException.class, () -> codec.read(text.getBytes(StandardCharsets.UTF_8)));
          assertTrue(e.getMessage().startsWith(name + ":"), e.getMessage());
        });
  }

  private List<ModelCard> cards() throws IOException {
    ModelCard builtIn = codec.read(Bundles.builtIn(ModelBundle.CARD_FILE));
    ModelCard churn =
        codec.read(
            Files.readAllBytes(
                TrainingFixtures.trainChurn(dir.resolve("churn")).resolve(ModelBundle.CARD_FILE)));
    ModelCard.Evaluation evaluation = builtIn.evaluation();
    ModelCard.Evaluation odd =
        new ModelCard.Evaluation(
            evaluation.accuracy(),
            evaluation.macroF1(),
            Double.NaN,
            "",
            Double.POSITIVE_INFINITY,
            evaluation.prAuc(),
            Map.of(),
            evaluation.confusionMatrix(),
            null);
    List<ModelCard> cards = new ArrayList<>(List.of(builtIn, churn));
    cards.add(
        builtIn.withIdentity(
            "2.1.0",
            new ModelCard.Lineage(
                "iris.spec.json", "ab".repeat(32), "retrain", null, "gs://b/runs/7")));
    cards.add(
        new ModelCard(
            builtIn.formatVersion(),
            builtIn.modelName(),
            builtIn.modelVersion(),
            null,
            List.of(),
            builtIn.schema(),
            builtIn.labels(),
            builtIn.trainingData(),
            builtIn.tribuoVersion(),
            new ModelCard.Trainer("t", Map.of()),
            odd,
            "",
            builtIn.modelFile(),
            builtIn.modelSha256(),
            null));
    return cards;
  }

  /** How the card was written with Micronaut Serde: its compact JSON, indented. */
  private static byte[] serdeWrite(ModelCard card) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonParser parser = JSON.createParser(SERDE.writeValueAsBytes(card));
        JsonGenerator generator = JSON.createGenerator(out).useDefaultPrettyPrinter()) {
      parser.nextToken();
      generator.copyCurrentStructure(parser);
    }
    out.write('\n');
    return out.toByteArray();
  }
}
