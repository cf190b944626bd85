package dev.predictfn.batch;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.rows.JsonBytes;
import dev.predictfn.rows.JsonNumber;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link FastPath} of {@link JsonLinesRows}. A line is ordinary when it is one flat JSON object
 * in ASCII: JSON whitespace between tokens and nothing else outside strings; strings without
 * escapes or control characters; each feature once, a numeric one a JSON number with a finite
 * value, a categorical one a string naming a category the card accepts; other keys once each, with
 * a string, number, {@code true}, {@code false} or {@code null}; with {@code --id}, that key once,
 * with a string or an integer of up to 18 digits (which the general path writes back as it is
 * spelled). A JSON integer zero reads as +0, as Jackson reads {@code -0}.
 */
final class JsonLinesFastPath extends FastPath {
  private static final int MAX_KEYS = 64;
  private final JsonLinesRows format;
  private final DirectValues values;
  private final byte[][] names; // [feature] -> its name as bytes
  @Nullable private final byte[] id; // the --id key as bytes, or null
  private final boolean[] seen;
  private final int[] otherKeys = new int[2 * MAX_KEYS]; // from, to of each other key in the line
  private final Map<String, byte[]> predictionFields = new HashMap<>();
  private final byte[][] probabilityFields; // [class] -> ,"label": (no comma for the first)
  private final JsonNumber number = new JsonNumber();

  JsonLinesFastPath(
      JsonLinesRows format, InputSchema schema, @Nullable String idKey, List<String> labels)
      throws IOException {
    super(idKey == null ? new byte[0] : PartOutput.utf8("{" + JsonText.quote(idKey) + ":"));
    this.format = format;
    this.values = new DirectValues(schema);
    this.names = new byte[schema.size()][];
    for (int f = 0; f < names.length; f++) {
      names[f] = schema.names().get(f).getBytes(StandardCharsets.UTF_8);
    }
    this.seen = new boolean[names.length];
    this.id = idKey == null ? null : idKey.getBytes(StandardCharsets.UTF_8);
    this.probabilityFields = new byte[labels.size()][];
    for (int c = 0; c < labels.size(); c++) {
      probabilityFields[c] =
          PartOutput.utf8((c == 0 ? "" : ",") + JsonText.quote(labels.get(c)) + ":");
    }
  }

  @Override
  boolean read(byte[] line, int length, double[] row) {
    int i = JsonBytes.blank(line, 0, length);
    if (i == length || line[i] != '{') {
      return false;
    }
    int objectStart = i;
    int idFrom = -1;
    int idTo = -1;
    int features = 0;
    int others = 0;
    Arrays.fill(seen, false);
    i = JsonBytes.blank(line, i + 1, length);
    while (true) {
      if (i >= length || line[i] != '"') {
        return false; // an empty object, or not a key: the general path words it
      }
      int keyFrom = i + 1;
      int keyTo = JsonBytes.string(line, keyFrom, length);
      if (keyTo < 0) {
        return false;
      }
      i = JsonBytes.blank(line, keyTo + 1, length);
      if (i >= length || line[i] != ':') {
        return false;
      }
      i = JsonBytes.blank(line, i + 1, length);
      if (i >= length) {
        return false;
      }
      int f = feature(line, keyFrom, keyTo);
      boolean isId = id != null && JsonBytes.same(id, line, keyFrom, keyTo);
      int valueFrom = i;
      int valueTo;
      byte b = line[i];
      if (b == '"') {
        valueTo = JsonBytes.string(line, i + 1, length) + 1;
        if (valueTo <= 0
            || f >= 0
                && !(values.isCategorical(f)
                    && values.category(line, i + 1, valueTo - 1, f, row))) {
          return false;
        }
      } else if (b == '-' || b >= '0' && b <= '9') {
        valueTo = number.read(line, i, length);
        if (valueTo < 0
            || isId && !writtenBackAsSpelled(line, valueFrom, valueTo)
            || f >= 0 && (values.isCategorical(f) || !Double.isFinite(number.value()))) {
          return false;
        }
        if (f >= 0) {
          row[f] = number.value();
        }
      } else {
        valueTo = JsonBytes.literal(line, i, length);
        if (valueTo < 0 || f >= 0 || isId) {
          return false;
        }
      }
      if (f >= 0) {
        if (seen[f]) {
          return false;
        }
        seen[f] = true;
        features++;
      } else if (isId) {
        if (idFrom >= 0) {
          return false;
        }
        idFrom = valueFrom;
        idTo = valueTo;
      } else {
        if (others == MAX_KEYS || repeated(line, keyFrom, keyTo, others)) {
          return false;
        }
        otherKeys[2 * others] = keyFrom;
        otherKeys[2 * others + 1] = keyTo;
        others++;
      }
      i = JsonBytes.blank(line, valueTo, length);
      if (i >= length) {
        return false;
      }
      if (line[i] == '}') {
        break;
      }
      if (line[i] != ',') {
        return false;
      }
      i = JsonBytes.blank(line, i + 1, length);
    }
    int objectEnd = i;
    if (JsonBytes.blank(line, objectEnd + 1, length) != length || features != names.length) {
      return false;
    }
    if (id != null) {
      if (idFrom < 0) {
        return false;
      }
      keep(idFrom, idTo);
    } else {
      int end = objectEnd;
      while (JsonBytes.blank(line, end - 1, end) == end) {
        end--;
      }
      keep(objectStart, end);
    }
    return true;
  }

  @Override
  void appendPrediction(StringBuilder out, String label, double[] probabilities) {
    format.appendPrediction(out.append(','), label, probabilities);
  }

  @Override
  void writePrediction(PartOutput out, String label, double[] probabilities) throws IOException {
    byte[] field = predictionFields.get(label);
    if (field == null) {
      field = PartOutput.utf8(",\"prediction\":" + JsonText.quote(label) + ",\"probabilities\":{");
      predictionFields.put(label, field);
    }
    out.write(field, 0, field.length);
    for (int c = 0; c < probabilities.length; c++) {
      out.write(probabilityFields[c], 0, probabilityFields[c].length);
      out.write(probabilities[c]);
    }
    out.write('}');
    out.write('}');
  }

  /**
   * Whether the general path writes the id number {@code line[from..to)} back as it is spelled: an
   * integer of up to 18 digits, not {@code -0}.
   */
  private static boolean writtenBackAsSpelled(byte[] line, int from, int to) {
    if (to - from > 18 || line[from] == '-' && line[from + 1] == '0') {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (line[i] == '.' || line[i] == 'e' || line[i] == 'E') {
        return false;
      }
    }
    return true;
  }

  /** The feature whose name is {@code line[from..to)}, or -1. */
  private int feature(byte[] line, int from, int to) {
    for (int f = 0; f < names.length; f++) {
      if (JsonBytes.same(names[f], line, from, to)) {
        return f;
      }
    }
    return -1;
  }

  /** Whether the key {@code line[from..to)} is among the first {@code others} other keys. */
  private boolean repeated(byte[] line, int from, int to, int others) {
    for (int k = 0; k < others; k++) {
      int start = otherKeys[2 * k];
      int end = otherKeys[2 * k + 1];
      if (end - start == to - from && Arrays.equals(line, start, end, line, from, to)) {
        return true;
      }
    }
    return false;
  }
}
