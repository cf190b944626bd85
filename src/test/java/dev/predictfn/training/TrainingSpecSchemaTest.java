package dev.predictfn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented JSON Schema and the spec reader agree: same fields at every level, and a field the
 * schema does not know is refused rather than silently ignored.
 */
class TrainingSpecSchemaTest {
  private static final Path SCHEMA = Path.of("src/main/training/training-spec.schema.json");

  @Test
  void theSchemaDocumentsExactlyTheFieldsTheReaderTakes() throws Exception {
    JsonNode schema =
        JsonMapper.createDefault().readValue(Files.readAllBytes(SCHEMA), JsonNode.class);
    assertFields(schema, TrainingSpec.class);
    JsonNode properties = schema.get("properties");
    assertFields(properties.get("features").get("items"), TrainingSpec.Feature.class);
    assertFields(properties.get("split"), TrainingSpec.Split.class);
    assertFields(properties.get("trainer"), TrainingSpec.SgdSettings.class);
    assertFields(properties.get("gates").get("items"), TrainingSpec.Gate.class);
    assertFields(properties.get("reference"), TrainingSpec.Reference.class);
  }

  @Test
  void bothExampleSpecsRead() throws Exception {
    JsonMapper mapper = JsonMapper.createDefault();
    assertEquals("iris-sgd", TrainingSpecs.read(mapper, TrainingFixtures.IRIS_SPEC).modelName());
    assertEquals("churn-sgd", TrainingSpecs.read(mapper, TrainingFixtures.CHURN_SPEC).modelName());
  }

  @Test
  void aMisspelledFieldIsRefused(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("typo.spec.json");
    Files.writeString(
        spec,
        Files.readString(TrainingFixtures.CHURN_SPEC)
            .replace("\"standardize\": true", "\"standardise\": true"));
    TrainingException e =
        assertThrows(
            TrainingException.class, () -> TrainingSpecs.read(JsonMapper.createDefault(), spec));
    assertTrue(e.getMessage().contains("standardise"), e.getMessage());
  }

  private static void assertFields(JsonNode node, Class<?> type) {
    Set<String> documented = new TreeSet<>();
    for (java.util.Map.Entry<String, JsonNode> entry : node.get("properties").entries()) {
      documented.add(entry.getKey());
    }
    Set<String> read = new TreeSet<>();
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
    }
    Parameter[] parameters;
    try {
      parameters = type.getDeclaredConstructor(types).getParameters();
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
    for (int i = 0; i < components.length; i++) {
      JsonProperty name = parameters[i].getAnnotation(JsonProperty.class);
      read.add(name == null ? components[i].getName() : name.value());
    }
    assertEquals(read, documented, type.getSimpleName());
  }
}
