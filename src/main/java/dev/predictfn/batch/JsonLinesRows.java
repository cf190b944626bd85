package dev.predictfn.batch;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.rows.JsonInput;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON Lines rows: one JSON object per line, the model's features by name among its keys (others,
 * such as an id, are carried along). The output line is the input object with {@code prediction}
 * and {@code probabilities} added, or, with {@code --id}, only that key besides them.
 */
final class JsonLinesRows implements RowFormat {
  private final JsonMapper mapper;
  private final List<String> names;
  private final String id;
  private final List<String> quotedLabels;
  private final InputSchema schema;
  private final List<String> labels;

  JsonLinesRows(JsonMapper mapper, InputSchema schema, @Nullable String id, List<String> labels) {
    this.mapper = mapper;
    this.names = schema.names();
    this.id = id;
    this.quotedLabels = labels.stream().map(JsonText::quote).toList();
    this.schema = schema;
    this.labels = labels;
  }

  @Override
  public Parsed parse(String line) throws BadRowException {
    JsonNode node;
    try {
      node = JsonInput.parse(mapper, line.getBytes(StandardCharsets.UTF_8));
    } catch (JsonInput.MalformedJsonException e) {
      throw new BadRowException("the line is not valid JSON: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw new BadRowException(
          "a line must be one JSON object of feature name to value, but it is "
              + JsonInput.kind(node)
              + ".");
    }
    Map<String, JsonNode> features = new LinkedHashMap<>();
    for (String name : names) {
      JsonNode value = node.get(name);
      if (value != null) {
        features.put(name, value);
      }
    }
    String kept;
    if (id == null) {
      kept = line.strip();
    } else {
      JsonNode value = node.get(id);
      if (value == null) {
        throw new BadRowException("the line has no key " + JsonText.quote(id) + " (--id).");
      }
      try {
        kept = "{" + JsonText.quote(id) + ":" + mapper.writeValueAsString(value);
      } catch (IOException e) {
        throw new BadRowException("the value of " + id + " cannot be written back as JSON.");
      }
    }
    return new Parsed(JsonNode.createObjectNode(features), kept);
  }

  @Override
  public String header() {
    return null;
  }

  @Override
  public void write(StringBuilder out, Parsed row, String label, double[] probabilities) {
    String kept = row.kept();
    if (id == null) {
      // The input object without its closing brace.
      kept = kept.substring(0, kept.lastIndexOf('}')).stripTrailing();
    }
    appendPrediction(out.append(kept).append(kept.endsWith("{") ? "" : ","), label, probabilities);
  }

  /** Appends the prediction's keys and the object's closing brace. */
  void appendPrediction(StringBuilder out, String label, double[] probabilities) {
    out.append("\"prediction\":").append(JsonText.quote(label)).append(",\"probabilities\":{");
    for (int c = 0; c < probabilities.length; c++) {
      out.append(c == 0 ? "" : ",")
          .append(quotedLabels.get(c))
          .append(':')
          .append(probabilities[c]);
    }
    out.append("}}");
  }

  @Override
  public FastPath fastPath() throws IOException {
    return new JsonLinesFastPath(this, schema, id, labels);
  }
}
