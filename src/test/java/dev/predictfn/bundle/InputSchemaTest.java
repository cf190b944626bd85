package dev.predictfn.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.classification.Label;

/** How validated rows become model inputs, including the corner cases requests can reach. */
class InputSchemaTest {
  private static InputSchema schema(String unknown, String... categories) {
    Map<String, Long> frequencies = new LinkedHashMap<>();
    for (String c : categories) {
      frequencies.put(c, 10L);
    }
    FeatureSchema plan =
        new FeatureSchema(
            "plan",
            FeatureSchema.CATEGORICAL,
            null,
            unknown,
            null,
            new FeatureSchema.CategoricalStats(10L * categories.length, frequencies));
    FeatureSchema age =
        new FeatureSchema(
            "age",
            FeatureSchema.NUMERIC,
            true,
            null,
            new FeatureSchema.NumericStats(20, 40, 10, 18, 90, List.of(30.0), List.of(0.5, 0.5)),
            null);
    return new InputSchema(List.of(plan, age));
  }

  private static Map<String, Double> features(Example<Label> example) {
    Map<String, Double> features = new LinkedHashMap<>();
    for (Feature f : example) {
      features.put(f.getName(), f.getValue());
    }
    return features;
  }

  @Test
  void encodesTheActiveCategoryAndTheStandardisedNumber() {
    InputSchema schema = schema("reject", "basic", "pro");
    assertEquals(List.of("plan@basic", "plan@pro", "age"), schema.encodedNames());
    assertEquals(1, schema.categoryValue(0, "pro"));
    assertEquals(-2, schema.categoryValue(0, "gold"));
    assertEquals(
        Map.of("plan@pro", 1.0, "age", 0.5), features(schema.example(new double[] {1, 45})));
  }

  @Test
  void anUnseenCategoryIsScoredAsOtherWhenTheModelHasOther() {
    InputSchema schema = schema("other", "basic", "other");
    int unseen = schema.categoryValue(0, "gold");
    assertEquals(-1, unseen);
    assertEquals(
        Map.of("plan@other", 1.0, "age", 0.0), features(schema.example(new double[] {unseen, 40})));
  }

  @Test
  void aRowWithNothingActiveStillMakesAnExampleTribuoAccepts() {
    FeatureSchema only =
        new FeatureSchema(
            "plan",
            FeatureSchema.CATEGORICAL,
            null,
            FeatureSchema.OTHER,
            null,
            new FeatureSchema.CategoricalStats(20, Map.of("basic", 10L, "pro", 10L)));
    Example<Label> example = new InputSchema(List.of(only)).example(new double[] {-1});
    assertEquals(1, example.size());
    assertEquals(0.0, example.iterator().next().getValue());
  }
}
