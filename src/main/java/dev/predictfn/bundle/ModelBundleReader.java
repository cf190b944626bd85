package dev.predictfn.bundle;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tribuo.Model;
import org.tribuo.Tribuo;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;

/**
 * Reads a bundle and refuses it unless every check passes: the card parses, the model file's
 * SHA-256 equals the card's, the model was trained by the Tribuo version that is serving, the model
 * is a probabilistic classifier, the card's schema describes every feature, and the features that
 * schema encodes and the card's labels are exactly the model's. With {@code expectedFeatures} set,
 * the card's feature list must also equal it, in order.
 *
 * <p>Each refusal names the file, the expected and the actual value, so the log line alone says
 * what to fix.
 */
public final class ModelBundleReader {
  private final CardCodec cardJson;

  public ModelBundleReader(CardCodec cardJson) {
    this.cardJson = cardJson;
  }

  /** Reads and verifies the bundle at {@code location}. */
  public ModelBundle read(BundleLocation location, List<String> expectedFeatures)
      throws InvalidBundleException {
    ModelCard card = readCard(location);
    String cardName = location.describe(ModelBundle.CARD_FILE);
    if (card.formatVersion() != ModelBundle.FORMAT_VERSION) {
      throw new InvalidBundleException(
          cardName
              + ": format_version expected "
              + ModelBundle.FORMAT_VERSION
              + " but was "
              + card.formatVersion());
    }
    if (!ModelBundle.TASK.equals(card.task())) {
      throw new InvalidBundleException(
          cardName + ": task expected " + ModelBundle.TASK + " but was " + card.task());
    }
    requireNonEmptyDistinct(cardName, "features", card.features());
    requireNonEmptyDistinct(cardName, "labels", card.labels());
    if (!expectedFeatures.isEmpty() && !expectedFeatures.equals(card.features())) {
      throw new InvalidBundleException(
          cardName
              + ": features expected "
              + expectedFeatures
              + " (predict.model.expected-features)"
              + " but was "
              + card.features());
    }
    requireSchema(cardName, card);
    if (!Tribuo.VERSION.equals(card.tribuoVersion())) {
      throw new InvalidBundleException(
          cardName
              + ": tribuo_version expected "
              + Tribuo.VERSION
              + " (the version serving) but was "
              + card.tribuoVersion()
              + "; retrain the model with this build");
    }

    String modelFile = card.modelFile() == null ? ModelBundle.MODEL_FILE : card.modelFile();
    String modelName = location.describe(modelFile);
    byte[] modelBytes;
    try {
      modelBytes = location.read(modelFile);
    } catch (IOException e) {
      throw new InvalidBundleException(modelName + ": cannot be read (" + e + ")", e);
    }
    String actualSha = Sha256.hex(modelBytes);
    if (!actualSha.equals(card.modelSha256())) {
      throw new InvalidBundleException(
          modelName
              + ": SHA-256 expected "
              + card.modelSha256()
              + " (from "
              + cardName
              + ") but was "
              + actualSha);
    }

    Model<Label> model = deserialize(modelName, modelBytes);
    if (!model.generatesProbabilities()) {
      throw new InvalidBundleException(modelName + ": the model does not produce probabilities");
    }
    requireSameNames(
        modelName,
        "features",
        InputSchema.of(card).encodedNames(),
        names(model.getFeatureIDMap()),
        cardName);
    requireSameNames(modelName, "labels", card.labels(), labelNames(model), cardName);
    return new ModelBundle(card, model);
  }

  private ModelCard readCard(BundleLocation location) throws InvalidBundleException {
    String cardName = location.describe(ModelBundle.CARD_FILE);
    byte[] bytes;
    try {
      bytes = location.read(ModelBundle.CARD_FILE);
    } catch (IOException e) {
      throw new InvalidBundleException(cardName + ": cannot be read (" + e + ")", e);
    }
    try {
      return cardJson.read(bytes);
    } catch (IOException | RuntimeException e) {
      throw new InvalidBundleException(
          cardName + ": is not a valid model card (" + e.getMessage() + ")", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Model<Label> deserialize(String modelName, byte[] bytes)
      throws InvalidBundleException {
    Model<?> model;
    try {
      model = Model.deserializeFromStream(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      throw new InvalidBundleException(
          modelName + ": is not a Tribuo protobuf model (" + e.getMessage() + ")", e);
    }
    if (!model.validate(Label.class)) {
      throw new InvalidBundleException(
          modelName
              + ": expected a classification model (Label outputs) but was "
              + model.getClass().getSimpleName());
    }
    return (Model<Label>) model;
  }

  /** The schema describes exactly the card's features, each completely. */
  private static void requireSchema(String cardName, ModelCard card) throws InvalidBundleException {
    List<FeatureSchema> schema = card.schema();
    if (schema == null
        || !card.features().equals(schema.stream().map(FeatureSchema::name).toList())) {
      throw new InvalidBundleException(
          cardName
              + ": schema expected one entry per feature "
              + card.features()
              + " but has "
              + (schema == null ? "none" : schema.stream().map(FeatureSchema::name).toList()));
    }
    for (FeatureSchema feature : schema) {
      String at = cardName + ": schema entry '" + feature.name() + "'";
      if (feature.isNumeric()) {
        FeatureSchema.NumericStats stats = feature.numeric();
        if (stats == null
            || stats.binEdges() == null
            || stats.binFractions() == null
            || stats.binFractions().size() != stats.binEdges().size() + 1) {
          throw new InvalidBundleException(
              at + " expected numeric statistics with one more bin fraction than bin edges");
        }
        if (Boolean.TRUE.equals(feature.standardize()) && !(stats.std() > 0)) {
          throw new InvalidBundleException(
              at + " is standardised but its std is " + stats.std() + "; expected > 0");
        }
      } else if (FeatureSchema.CATEGORICAL.equals(feature.kind())) {
        if (feature.categorical() == null
            || feature.categorical().frequencies() == null
            || feature.categorical().frequencies().isEmpty()) {
          throw new InvalidBundleException(at + " expected category frequencies");
        }
        if (!FeatureSchema.REJECT.equals(feature.unknown())
            && !FeatureSchema.OTHER.equals(feature.unknown())) {
          throw new InvalidBundleException(
              at + ": unknown expected \"reject\" or \"other\" but was " + feature.unknown());
        }
      } else {
        throw new InvalidBundleException(
            at + ": kind expected \"numeric\" or \"categorical\" but was " + feature.kind());
      }
    }
  }

  private static void requireNonEmptyDistinct(String file, String field, List<String> values)
      throws InvalidBundleException {
    if (values == null || values.isEmpty()) {
      throw new InvalidBundleException(file + ": " + field + " expected a non-empty list");
    }
    Set<String> seen = new HashSet<>();
    for (String value : values) {
      if (value == null || value.isBlank() || !seen.add(value)) {
        throw new InvalidBundleException(
            file + ": " + field + " expected distinct non-blank names but has '" + value + "'");
      }
    }
  }

  private static void requireSameNames(
      String modelName, String field, List<String> fromCard, Set<String> fromModel, String cardName)
      throws InvalidBundleException {
    if (!new TreeSet<>(fromCard).equals(fromModel)) {
      throw new InvalidBundleException(
          modelName
              + ": "
              + field
              + " expected "
              + new TreeSet<>(fromCard)
              + " (from "
              + cardName
              + ") but the model has "
              + fromModel);
    }
  }

  private static Set<String> names(Iterable<? extends VariableInfo> infos) {
    Set<String> names = new TreeSet<>();
    for (VariableInfo info : infos) {
      names.add(info.getName());
    }
    return names;
  }

  private static Set<String> labelNames(Model<Label> model) {
    List<String> names = new ArrayList<>();
    for (Label label : model.getOutputIDInfo().getDomain()) {
      names.add(label.getLabel());
    }
    return new TreeSet<>(names);
  }
}
