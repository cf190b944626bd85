package dev.predictfn.records;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.bundle.ModelCard;
import dev.predictfn.model.PredictionResult;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.List;

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

  private static final byte[] OPEN = fragment("{\"severity\":\"INFO\",\"" + TIME + "\":");
  private static final byte[] CLOSE = fragment("}");
  private static final byte[] CLOSE_LIST = fragment("}]");
  private static final byte[] END = fragment("}\n");

  private RecordJson() {}

  /** {@code epochMillis} as a record's {@code time} value, quoted (ISO 8601, UTC). */
  static byte[] time(long epochMillis) {
    return RecordBytes.quoted(Instant.ofEpochMilli(epochMillis).toString());
  }

  /** The {@code trace} field of the records of a request with {@code trace}; empty without one. */
  static byte[] traceField(@Nullable String trace) {
    return trace == null ? new byte[0] : field(TRACE, trace);
  }

  /** Appends one feedback record's line. */
  static void appendFeedback(
      RecordBytes out,
      long epochMillis,
      String predictionId,
      String label,
      String revision,
      @Nullable String trace) {
    out.append(OPEN).append(time(epochMillis));
    out.append(field(RECORD, FEEDBACK)).append(field(PREDICTION_ID, predictionId));
    out.append(field(LABEL, label)).append(field(REVISION, revision));
    out.append(traceField(trace)).append(END);
  }

  /** {@code text}, which holds only JSON syntax and names that need no escape, as bytes. */
  private static byte[] fragment(String text) {
    return text.getBytes(UTF_8);
  }

  /** {@code ,"name":}: a field after the first, its value to follow. */
  private static byte[] fieldStart(String name) {
    return fragment(",\"" + name + "\":");
  }

  /** {@code ,"name":"value"}: a field after the first, its value quoted and escaped. */
  private static byte[] field(String name, @Nullable String value) {
    RecordBytes field = new RecordBytes(name.length() + 64).append(fieldStart(name));
    return (value == null ? field.append(fragment("null")) : field.appendString(value)).toBytes();
  }

  /**
   * The prediction records of one model scored by one revision over one protocol: what is the same
   * from row to row (model identity, revision, protocol, labels, feature names) is encoded once, so
   * a record costs its id, its numbers and a few copies.
   */
  static final class PredictionLines {
    private static final byte[] PREDICTION_ID_START =
        fragment(",\"" + RECORD + "\":\"" + PREDICTION + "\",\"" + PREDICTION_ID + "\":\"");
    private static final byte[] PROBABILITIES_START = fragment(",\"" + PROBABILITIES + "\":[");
    private static final byte[] FEATURES_START = fragment(",\"" + FEATURES + "\":[");
    private static final byte[] NUMBER_START = fieldStart(NUMBER);
    private static final byte[] CATEGORY_START = fieldStart(CATEGORY);
    private static final byte[] EMPTY_LIST = fragment("]");
    private static final byte[] SEPARATOR = fragment(",");

    /** From the id's closing quote to the predicted label. */
    private final byte[] afterId;

    /** Each card label quoted, and its {@code {"label":"...","probability":}, in card order. */
    private final byte[][] labels;

    private final byte[][] probabilityStarts;

    /** Each feature's {@code {"name":"..."}, its value to follow. */
    private final byte[][] featureStarts;

    /** Each categorical feature's categories quoted, by code; {@code null} for numeric ones. */
    private final byte[][][] categories;

    PredictionLines(ModelCard card, InputSchema schema, String revision, Protocol protocol) {
      this.afterId =
          new RecordBytes(256)
              .append('"')
              .append(field(MODEL_NAME, card.modelName()))
              .append(field(MODEL_VERSION, card.modelVersion()))
              .append(field(MODEL_SHA256, card.modelSha256()))
              .append(field(REVISION, revision))
              .append(field(PROTOCOL, protocol.recordName()))
              .append(fieldStart(PREDICTED))
              .toBytes();
      List<String> cardLabels = card.labels();
      this.labels = new byte[cardLabels.size()][];
      this.probabilityStarts = new byte[cardLabels.size()][];
      for (int c = 0; c < labels.length; c++) {
        labels[c] = RecordBytes.quoted(cardLabels.get(c));
        probabilityStarts[c] = probabilityStart(cardLabels.get(c));
      }
      List<String> names = schema.names();
      this.featureStarts = new byte[names.size()][];
      this.categories = new byte[names.size()][][];
      for (int f = 0; f < names.size(); f++) {
        featureStarts[f] =
            new RecordBytes(64)
                .append(fragment("{\"" + NAME + "\":"))
                .appendString(names.get(f))
                .toBytes();
        if (schema.isCategorical(f)) {
          List<String> values = schema.categories(f);
          categories[f] = new byte[values.size()][];
          for (int c = 0; c < values.size(); c++) {
            categories[f][c] = RecordBytes.quoted(values.get(c));
          }
        }
      }
    }

    /**
     * Appends the line of one scored row.
     *
     * @param time the request's {@link RecordJson#time}
     * @param result the row's prediction, with its id
     * @param row the row's features in the card's order, or {@code null} to leave them out
     * @param trace the request's {@link RecordJson#traceField}
     */
    void append(
        RecordBytes out,
        byte[] time,
        PredictionResult result,
        @Nullable double[] row,
        byte[] trace) {
      // Ids come from PredictionIds: hex digits and dashes, nothing to escape.
      out.append(OPEN).append(time).append(PREDICTION_ID_START).appendAscii(result.id());
      // A predictor's result has the card's labels in the card's order (labelIndex says so).
      boolean cardOrder =
          result.labelIndex() >= 0 && result.probabilities().size() == labels.length;
      out.append(afterId);
      out.append(cardOrder ? labels[result.labelIndex()] : RecordBytes.quoted(result.label()));
      out.append(PROBABILITIES_START);
      int count = result.probabilities().size();
      for (int c = 0; c < count; c++) {
        if (c > 0) {
          out.append(CLOSE).append(SEPARATOR);
        }
        out.append(cardOrder ? probabilityStarts[c] : probabilityStart(result.labelAt(c)));
        out.appendNumber(result.probabilityAt(c));
      }
      out.append(count == 0 ? EMPTY_LIST : CLOSE_LIST).append(trace);
      if (row != null) {
        appendFeatures(out, row);
      }
      out.append(END);
    }

    private void appendFeatures(RecordBytes out, double[] row) {
      out.append(FEATURES_START);
      for (int f = 0; f < row.length; f++) {
        if (f > 0) {
          out.append(SEPARATOR);
        }
        out.append(featureStarts[f]);
        if (categories[f] == null) {
          out.append(NUMBER_START).appendShortNumber(row[f]);
        } else if (row[f] >= 0) {
          // A category the model maps to "other" has no value (InputSchema.UNKNOWN_CATEGORY).
          out.append(CATEGORY_START).append(categories[f][(int) row[f]]);
        }
        out.append(CLOSE);
      }
      out.append(EMPTY_LIST);
    }

    private static byte[] probabilityStart(String label) {
      return new RecordBytes(64)
          .append(fragment("{\"" + LABEL + "\":"))
          .appendString(label)
          .append(fieldStart(PROBABILITY))
          .toBytes();
    }
  }
}
