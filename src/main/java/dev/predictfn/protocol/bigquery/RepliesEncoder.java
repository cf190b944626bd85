package dev.predictfn.protocol.bigquery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.predictfn.model.PredictionResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code {"replies": [...]}}, one reply per call in call order, as {@link ReplyFormat} says:
 * a label string, a probability number or a JSON object; {@code null} (SQL NULL) for a row that was
 * not scored because an argument was NULL. Labels and names are encoded once per request, not once
 * per reply.
 */
final class RepliesEncoder {
  private static final JsonFactory JSON = new JsonFactory();
  private static final SerializableString REPLIES = new SerializedString("replies");
  private static final SerializableString LABEL = new SerializedString("label");
  private static final SerializableString PROBABILITIES = new SerializedString("probabilities");
  private static final SerializableString MODEL_VERSION = new SerializedString("model_version");

  private RepliesEncoder() {}

  /**
   * @param rows the request's rows, {@code null} for a row not scored
   * @param results the results of the scored rows, in order
   */
  static byte[] encode(
      List<double[]> rows, List<PredictionResult> results, ReplyFormat format, String version) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + rows.size() * 16);
    Map<String, SerializableString> encoded = new HashMap<>();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeFieldName(REPLIES);
      json.writeStartArray();
      Iterator<PredictionResult> scored = results.iterator();
      for (double[] row : rows) {
        if (row == null) {
          json.writeNull();
          continue;
        }
        PredictionResult result = scored.next();
        switch (format.kind()) {
          case LABEL -> json.writeString(encoded(encoded, result.label()));
          case PROBABILITY -> json.writeNumber(result.probabilities().get(format.label()));
          case JSON -> {
            json.writeStartObject();
            json.writeFieldName(LABEL);
            json.writeString(encoded(encoded, result.label()));
            json.writeFieldName(PROBABILITIES);
            json.writeStartObject();
            for (int c = 0; c < result.probabilities().size(); c++) {
              json.writeFieldName(encoded(encoded, result.labelAt(c)));
              json.writeNumber(result.probabilityAt(c));
            }
            json.writeEndObject();
            json.writeFieldName(MODEL_VERSION);
            json.writeString(version);
            json.writeEndObject();
          }
        }
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  /** {@code text} JSON-encoded, from {@code encoded} (the model's labels, a handful). */
  private static SerializableString encoded(Map<String, SerializableString> encoded, String text) {
    return encoded.computeIfAbsent(text, SerializedString::new);
  }
}
