package dev.predictfn.records;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.predictfn.bundle.InputSchema;
import dev.predictfn.model.PredictionResult;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The records' JSON: one object per line, in the shape Cloud Logging parses from a container's
 * stdout ({@code severity} and {@code time} become the entry's; everything else is its {@code
 * jsonPayload}). The field names below are a contract: the BigQuery view ({@code
 * cloudrun/online-accuracy.sql}) and the {@code evaluate} mode read them, and {@code
 * PredictionRecordContractTest} holds them.
 *
 * <p>Shapes are chosen for the BigQuery tables a logging sink creates from them: probabilities and
 * features are arrays of objects (a label or feature name is data, never a column name), numbers
 * are always written as floating point so a column's type never flips between INTEGER and FLOAT.
 */
public final class RecordJson {
  /** Which kind of record: {@value #PREDICTION} or {@value #FEEDBACK}. */
  public static final String RECORD = "record";

  public static final String PREDICTION = "prediction";
  public static final String FEEDBACK = "feedback";

  /** On stdout; a logging sink's export carries it as the entry's {@code timestamp}. */
  public static final String TIME = "time";

  public static final String PREDICTION_ID = "prediction_id";
  public static final String MODEL_NAME = "model_name";
  public static final String MODEL_VERSION = "model_version";
  public static final String MODEL_SHA256 = "model_sha256";
  public static final String REVISION = "revision";
  public static final String PROTOCOL = "protocol";

  /** In a prediction record, the predicted label. */
  public static final String PREDICTED = "prediction";

  /** An array of {@code {"label": ..., "probability": ...}}, in the card's label order. */
  public static final String PROBABILITIES = "probabilities";

  public static final String LABEL = "label";
  public static final String PROBABILITY = "probability";
  public static final String TRACE = "trace";

  /**
   * An array of {@code {"name": ..., "number": ...}} or {@code {"name": ..., "category": ...}} (no
   * value for a category the model maps to "other"), in the card's feature order.
   */
  public static final String FEATURES = "features";

  public static final String NAME = "name";
  public static final String NUMBER = "number";
  public static final String CATEGORY = "category";

  /**
   * Numbers through Jackson's Schubfach writer: the shortest decimal that reads back as the same
   * double, as {@code Double.toString} gives from JDK 19 on, at a fraction of JDK 17's cost
   * (serialising probabilities was most of the writer thread's time under load).
   */
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  private RecordJson() {}

  /** Writes {@code records} ({@link PredictionRecord}s and {@link FeedbackRecord}s), one a line. */
  static void write(List<Object> records, OutputStream out) throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
      for (Object record : records) {
        if (record instanceof PredictionRecord prediction) {
          write(prediction, json);
        } else {
          write((FeedbackRecord) record, json);
        }
        json.writeRaw('\n');
      }
    }
  }

  private static void write(PredictionRecord record, JsonGenerator json) throws IOException {
    PredictionResult result = record.result();
    start(json, PREDICTION, record.epochMillis(), result.id());
    json.writeStringField(MODEL_NAME, record.card().modelName());
    json.writeStringField(MODEL_VERSION, record.card().modelVersion());
    json.writeStringField(MODEL_SHA256, record.card().modelSha256());
    json.writeStringField(REVISION, record.revision());
    json.writeStringField(PROTOCOL, record.protocol());
    json.writeStringField(PREDICTED, result.label());
    json.writeArrayFieldStart(PROBABILITIES);
    for (Map.Entry<String, Double> probability : result.probabilities().entrySet()) {
      json.writeStartObject();
      json.writeStringField(LABEL, probability.getKey());
      json.writeNumberField(PROBABILITY, probability.getValue());
      json.writeEndObject();
    }
    json.writeEndArray();
    if (record.trace() != null) {
      json.writeStringField(TRACE, record.trace());
    }
    if (record.row() != null) {
      writeFeatures(record.schema(), record.row(), json);
    }
    json.writeEndObject();
  }

  private static void write(FeedbackRecord record, JsonGenerator json) throws IOException {
    start(json, FEEDBACK, record.epochMillis(), record.predictionId());
    json.writeStringField(LABEL, record.label());
    json.writeStringField(REVISION, record.revision());
    if (record.trace() != null) {
      json.writeStringField(TRACE, record.trace());
    }
    json.writeEndObject();
  }

  private static void start(JsonGenerator json, String kind, long epochMillis, String id)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("severity", "INFO");
    json.writeStringField(TIME, Instant.ofEpochMilli(epochMillis).toString());
    json.writeStringField(RECORD, kind);
    json.writeStringField(PREDICTION_ID, id);
  }

  private static void writeFeatures(InputSchema schema, double[] row, JsonGenerator json)
      throws IOException {
    List<String> names = schema.names();
    json.writeArrayFieldStart(FEATURES);
    for (int f = 0; f < row.length; f++) {
      json.writeStartObject();
      json.writeStringField(NAME, names.get(f));
      if (!schema.isCategorical(f)) {
        json.writeNumberField(NUMBER, row[f]);
      } else if (row[f] >= 0) {
        json.writeStringField(CATEGORY, schema.categories(f).get((int) row[f]));
      }
      json.writeEndObject();
    }
    json.writeEndArray();
  }
}
