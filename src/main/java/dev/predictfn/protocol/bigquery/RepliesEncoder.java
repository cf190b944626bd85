package dev.predictfn.protocol.bigquery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.predictfn.model.PredictionResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
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
   * @param results the results of the scored rows, in order
   */
  static byte[] encode(
      List<double[]> rows, List<PredictionResult> results, ReplyFormat format, String version) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + rows.size() * 16);
    Labels labels = new Labels();
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
          case LABEL -> json.writeString(labels.predicted(result));
          case PROBABILITY -> json.writeNumber(result.probabilities().get(format.label()));
          case JSON -> {
            json.writeStartObject();
            json.writeFieldName(LABEL);
            json.writeString(labels.predicted(result));
            json.writeFieldName(PROBABILITIES);
            json.writeStartObject();
            for (int c = 0; c < result.probabilities().size(); c++) {
              json.writeFieldName(labels.at(result, c));
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

  /**
   * One request's labels JSON-encoded once each, by their position among a result's labels: the
   * results of one request come from one predictor, whose results all have its card's labels in one
   * order ({@link PredictionResult#labelIndex}). A result made otherwise has its labels encoded
   * afresh.
   */
  private static final class Labels {
    private SerializableString[] encoded = new SerializableString[0];

    /** The predicted label of {@code result}. */
    SerializableString predicted(PredictionResult result) {
      int c = result.labelIndex();
      return c < 0 ? new SerializedString(result.label()) : at(result, c);
    }

    /** The label of {@code result}'s {@code c}th probability. */
    SerializableString at(PredictionResult result, int c) {
      if (result.labelIndex() < 0) {
        return new SerializedString(result.labelAt(c));
      }
      if (c >= encoded.length) {
        encoded = Arrays.copyOf(encoded, result.probabilities().size());
      }
      SerializableString label = encoded[c];
      if (label == null) {
        label = new SerializedString(result.labelAt(c));
        encoded[c] = label;
      }
      return label;
    }
  }
}
