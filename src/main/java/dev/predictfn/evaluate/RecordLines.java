package dev.predictfn.evaluate;

import dev.predictfn.records.RecordJson;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads prediction and feedback records from JSON Lines in either form they are found: as the
 * service wrote them on stdout ({@code {"record": ..., "time": ...}}), or as the log entries a
 * Cloud Storage logging sink writes ({@code {"jsonPayload": {...}, "timestamp": ...}}). Lines that
 * are not records (the service's own log, blank lines, text) are counted and skipped; a record that
 * lacks what the join needs is counted as invalid, with where it is.
 */
final class RecordLines {
  /** A prediction record, as the join needs it. */
  record Prediction(
      String id,
      long epochMillis,
      String revision,
      String modelVersion,
      String modelSha256,
      String label,
      Map<String, Double> probabilities) {}

  /** A feedback record. */
  record Feedback(String id, long epochMillis, String label) {}

  /** Where records go as they are read. */
  interface Consumer {
    void prediction(Prediction prediction);

    void feedback(Feedback feedback);
  }

  private static final int EXAMPLES = 5;

  private final JsonMapper mapper = JsonMapper.createDefault();
  private final Consumer consumer;
  private long lines;
  private long skipped;
  private long invalid;
  private final List<String> invalidExamples = new ArrayList<>();

  RecordLines(Consumer consumer) {
    this.consumer = consumer;
  }

  /** Reads a file, every file under a directory (in name order), or stdin for {@code -}. */
  void read(String input, InputStream stdin) throws IOException {
    if (input.equals("-")) {
      readLines("stdin", stdin);
      return;
    }
    Path path = Path.of(input);
    if (!Files.exists(path)) {
      throw new IOException("--input " + input + " does not exist");
    }
    if (!Files.isDirectory(path)) {
      try (InputStream in = Files.newInputStream(path)) {
        readLines(input, in);
      }
      return;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(path)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        readLines(file.toString(), in);
      }
    }
  }

  private void readLines(String name, InputStream in) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    long number = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      number++;
      lines++;
      String problem = line(line);
      if (problem != null) {
        invalid++;
        if (invalidExamples.size() < EXAMPLES) {
          invalidExamples.add(name + ":" + number + ": " + problem);
        }
      }
    }
  }

  /** Reads one line; answers what is wrong with it when it is a record the join cannot use. */
  @Nullable
  private String line(String line) {
    if (line.isBlank() || line.charAt(0) != '{') {
      skipped++;
      return null;
    }
    JsonNode entry;
    try {
      entry = mapper.readValue(line.getBytes(StandardCharsets.UTF_8), JsonNode.class);
    } catch (IOException e) {
      skipped++;
      return null;
    }
    if (entry == null || !entry.isObject()) {
      skipped++;
      return null;
    }
    JsonNode payload = entry.get("jsonPayload");
    JsonNode time = entry.get("timestamp");
    if (payload == null || !payload.isObject()) {
      payload = entry;
      time = entry.get(RecordJson.TIME);
    }
    String kind = text(payload, RecordJson.RECORD);
    if (!RecordJson.PREDICTION.equals(kind) && !RecordJson.FEEDBACK.equals(kind)) {
      skipped++;
      return null;
    }
    String id = text(payload, RecordJson.PREDICTION_ID);
    if (id == null) {
      return "a " + kind + " record without " + RecordJson.PREDICTION_ID;
    }
    long epochMillis;
    try {
      epochMillis = Instant.parse(time == null ? "" : time.coerceStringValue()).toEpochMilli();
    } catch (DateTimeParseException e) {
      return "a " + kind + " record without a time (\"time\", or \"timestamp\" in a log entry)";
    }
    if (kind.equals(RecordJson.FEEDBACK)) {
      String label = text(payload, RecordJson.LABEL);
      if (label == null) {
        return "a feedback record without " + RecordJson.LABEL;
      }
      consumer.feedback(new Feedback(id, epochMillis, label));
      return null;
    }
    String predicted = text(payload, RecordJson.PREDICTED);
    Map<String, Double> probabilities = probabilities(payload.get(RecordJson.PROBABILITIES));
    if (predicted == null || probabilities == null) {
      return "a prediction record without "
          + RecordJson.PREDICTED
          + " or a valid "
          + RecordJson.PROBABILITIES
          + " array";
    }
    consumer.prediction(
        new Prediction(
            id,
            epochMillis,
            orEmpty(text(payload, RecordJson.REVISION)),
            orEmpty(text(payload, RecordJson.MODEL_VERSION)),
            orEmpty(text(payload, RecordJson.MODEL_SHA256)),
            predicted,
            probabilities));
    return null;
  }

  @Nullable
  private static Map<String, Double> probabilities(@Nullable JsonNode array) {
    if (array == null || !array.isArray()) {
      return null;
    }
    Map<String, Double> probabilities = new LinkedHashMap<>();
    for (JsonNode item : array.values()) {
      String label = text(item, RecordJson.LABEL);
      JsonNode p = item.get(RecordJson.PROBABILITY);
      if (label == null || p == null || !p.isNumber()) {
        return null;
      }
      probabilities.put(label, p.getDoubleValue());
    }
    return probabilities;
  }

  @Nullable
  private static String text(JsonNode node, String field) {
    JsonNode value = node.isObject() ? node.get(field) : null;
    return value != null && value.isString() ? value.getStringValue() : null;
  }

  private static String orEmpty(@Nullable String value) {
    return value == null ? "" : value;
  }

  long lines() {
    return lines;
  }

  long skipped() {
    return skipped;
  }

  long invalid() {
    return invalid;
  }

  List<String> invalidExamples() {
    return List.copyOf(invalidExamples);
  }
}
