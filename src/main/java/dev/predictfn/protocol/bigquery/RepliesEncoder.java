package dev.predictfn.protocol.bigquery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.predictfn.model.ScoredRows;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

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
   * @param scored the predictions of the scored rows, in order
   */
  static byte[] encode(List<double[]> rows, ScoredRows scored, ReplyFormat format, String version) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + rows.size() * 16);
    Labels labels = new Labels(scored.labels());
    int probability = format.label() == null ? -1 : scored.labels().indexOf(format.label());
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeFieldName(REPLIES);
      json.writeStartArray();
      int i = 0;
      for (double[] row : rows) {
        if (row == null) {
          json.writeNull();
          continue;
        }
        switch (format.kind()) {
          case LABEL -> json.writeString(labels.predicted(scored, i));
          case PROBABILITY -> json.writeNumber(scored.probability(i, probability));
          case JSON -> {
            json.writeStartObject();
            json.writeFieldName(LABEL);
            json.writeString(labels.predicted(scored, i));
            json.writeFieldName(PROBABILITIES);
            json.writeStartObject();
            for (int c = 0; c < labels.encoded.length; c++) {
              json.writeFieldName(labels.encoded[c]);
              json.writeNumber(scored.probability(i, c));
            }
            json.writeEndObject();
            json.writeFieldName(MODEL_VERSION);
            json.writeString(version);
            json.writeEndObject();
          }
        }
        i++;
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  /** The card's labels, JSON-encoded once per request rather than once per reply. */
  private static final class Labels {
    final SerializableString[] encoded;

    Labels(List<String> labels) {
      encoded = new SerializableString[labels.size()];
      for (int c = 0; c < encoded.length; c++) {
        encoded[c] = new SerializedString(labels.get(c));
      }
    }

    /** Row {@code i}'s predicted label (encoded afresh when the card does not list it). */
    SerializableString predicted(ScoredRows scored, int i) {
      int c = scored.labelIndex(i);
      return c < 0 ? new SerializedString(scored.label(i)) : encoded[c];
    }
  }
}
