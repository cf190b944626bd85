package dev.predictfn.shadow;

import io.micronaut.json.tree.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a revision says it serves, read from its {@code GET /model}: enough of the model card to
 * send it rows by feature name and to know which metrics its release was gated on.
 *
 * @param name the model's name
 * @param version the model's version
 * @param sha256 the SHA-256 of the model file: equal on both sides means the same model
 * @param features feature name to kind ({@code numeric} or {@code categorical}), in order
 * @param labels the labels the model predicts
 * @param labelColumn the CSV column the model was trained to predict
 * @param positiveLabel the class ROC-AUC and PR-AUC are about, or null for macro averages
 * @param gates the spec's quality gates: metric to minimum
 */
public record ServedModel(
    String name,
    String version,
    String sha256,
    Map<String, String> features,
    List<String> labels,
    String labelColumn,
    String positiveLabel,
    Map<String, Double> gates) {

  /** Reads the card a revision answered; fails with what is missing. */
  static ServedModel of(String who, JsonNode card) {
    Map<String, String> features = new LinkedHashMap<>();
    JsonNode schema = required(who, card, "schema");
    for (int i = 0; i < schema.size(); i++) {
      JsonNode feature = schema.get(i);
      features.put(
          required(who, feature, "name").getStringValue(),
          required(who, feature, "kind").getStringValue());
    }
    List<String> labels = new ArrayList<>();
    JsonNode labelList = required(who, card, "labels");
    for (int i = 0; i < labelList.size(); i++) {
      labels.add(labelList.get(i).getStringValue());
    }
    JsonNode evaluation = required(who, card, "evaluation");
    Map<String, Double> gates = new LinkedHashMap<>();
    JsonNode gateList = evaluation.get("quality_gates");
    for (int i = 0; gateList != null && i < gateList.size(); i++) {
      JsonNode gate = gateList.get(i);
      gates.put(
          required(who, gate, "metric").getStringValue(),
          required(who, gate, "minimum").getNumberValue().doubleValue());
    }
    JsonNode positive = evaluation.get("positive_label");
    return new ServedModel(
        required(who, card, "model_name").getStringValue(),
        required(who, card, "model_version").getStringValue(),
        required(who, card, "model_sha256").getStringValue(),
        features,
        labels,
        required(who, required(who, card, "training_data"), "label_column").getStringValue(),
        positive == null || positive.isNull() ? null : positive.getStringValue(),
        gates);
  }

  private static JsonNode required(String who, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new ComparisonException(who + ": GET /model has no \"" + field + "\"");
    }
    return value;
  }

  /** "name version (sha256 prefix)" for reports. */
  String describe() {
    return name + " " + version + " (" + sha256.substring(0, Math.min(12, sha256.length())) + ")";
  }
}
