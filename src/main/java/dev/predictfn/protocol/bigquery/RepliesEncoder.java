package dev.predictfn.protocol.bigquery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.predictfn.model.PredictionResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code {"replies": [...]}}, one reply per call in call order, as {@link ReplyFormat} says:
 * a label string, a probability number or a JSON object; {@code null} (SQL NULL) for a row that was
 * not scored because an argument was NULL.
 */
final class RepliesEncoder {
  private static final JsonFactory JSON = new JsonFactory();

  private RepliesEncoder() {}

  /**
   * @param rows the request's rows, {@code null} for a row not scored
   * @param results the results of the scored rows, in order
   */
  static byte[] encode(
      List<double[]> rows, List<PredictionResult> results, ReplyFormat format, String version) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + rows.size() * 16);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeArrayFieldStart("replies");
      Iterator<PredictionResult> scored = results.iterator();
      for (double[] row : rows) {
        if (row == null) {
          json.writeNull();
          continue;
        }
        PredictionResult result = scored.next();
        switch (format.kind()) {
          case LABEL -> json.writeString(result.label());
          case PROBABILITY -> json.writeNumber(result.probabilities().get(format.label()));
          case JSON -> {
            json.writeStartObject();
            json.writeStringField("label", result.label());
            json.writeObjectFieldStart("probabilities");
            for (Map.Entry<String, Double> p : result.probabilities().entrySet()) {
              json.writeNumberField(p.getKey(), p.getValue());
            }
            json.writeEndObject();
            json.writeStringField("model_version", version);
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
}
