package dev.predictfn.rows;

import dev.predictfn.bundle.InputSchema;
import io.micronaut.json.tree.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Validates rows against the model's {@link InputSchema}: an array of values in the card's feature
 * order or an object of feature name to value; a numeric feature takes a finite JSON number, a
 * categorical one a string naming a category the card lists (or any string, when the card maps
 * unseen categories to {@code other}). Every problem gets a JSON Pointer and words a caller can act
 * on; every protocol and the batch job share these words.
 */
public final class RowReader {
  private final InputSchema input;
  private final List<String> names;
  private final boolean allNumeric;

  public RowReader(InputSchema input) {
    this.input = input;
    this.names = input.names();
    this.allNumeric = input.categoricalNames().isEmpty();
  }

  /**
   * Validates one row ({@code node}), collecting its problems in {@code errors}.
   *
   * @param path how messages name the row, e.g. {@code features}
   * @param pointer the row's JSON Pointer, e.g. {@code #/features}
   */
  public double[] row(JsonNode node, String path, String pointer, FieldErrors errors) {
    double[] row = new double[names.size()];
    if (node.isArray()) {
      if (node.size() != names.size()) {
        errors.add(
            pointer,
            path
                + " has "
                + node.size()
                + " values but the model takes "
                + names.size()
                + ", in the order "
                + names
                + ".");
        return row;
      }
      for (int i = 0; i < row.length; i++) {
        row[i] =
            value(
                i,
                node.get(i),
                path + "[" + i + "] (" + names.get(i) + ")",
                pointer + "/" + i,
                errors);
      }
    } else if (node.isObject()) {
      boolean[] seen = new boolean[names.size()];
      for (Map.Entry<String, JsonNode> entry : node.entries()) {
        int i = input.indexOf(entry.getKey());
        String childPointer = pointer + "/" + escape(entry.getKey());
        if (i < 0) {
          errors.add(
              childPointer,
              path
                  + " has unknown feature \""
                  + entry.getKey()
                  + "\"; the model's features are "
                  + names
                  + ".");
          continue;
        }
        seen[i] = true;
        row[i] = value(i, entry.getValue(), path + "." + entry.getKey(), childPointer, errors);
      }
      for (int i = 0; i < seen.length; i++) {
        if (!seen[i]) {
          errors.add(
              pointer + "/" + escape(names.get(i)),
              path + " is missing feature \"" + names.get(i) + "\".");
        }
      }
    } else {
      errors.add(
          pointer,
          path
              + " must be an array of "
              + names.size()
              + (allNumeric ? " numbers" : " values")
              + " or an object of feature name to "
              + (allNumeric ? "number" : "value")
              + ", but it is "
              + JsonInput.kind(node)
              + ".");
    }
    return row;
  }

  private double value(int f, JsonNode value, String path, String pointer, FieldErrors errors) {
    if (!input.isCategorical(f)) {
      return number(value, path, pointer, errors);
    }
    List<String> known = input.categories(f);
    if (value == null || !value.isString()) {
      errors.add(
          pointer,
          path
              + " is categorical and must be a string, one of "
              + known
              + ", but it is "
              + JsonInput.kind(value)
              + ".");
      return 0;
    }
    int category = input.categoryValue(f, value.getStringValue());
    if (category < (int) InputSchema.UNKNOWN_CATEGORY) {
      errors.add(pointer, unknownCategory(path, value.getStringValue(), known));
      return 0;
    }
    return category;
  }

  private static double number(JsonNode value, String path, String pointer, FieldErrors errors) {
    OptionalDouble number = JsonInput.finiteNumber(value);
    if (number.isPresent()) {
      return number.getAsDouble();
    }
    errors.add(
        pointer, path + " must be a finite number, but it is " + JsonInput.kind(value) + ".");
    return 0;
  }

  /**
   * The words for a category the model was not trained on, in every protocol.
   *
   * @param where how the message names the value, e.g. {@code features.contract}
   */
  public static String unknownCategory(String where, String value, List<String> known) {
    return where
        + " is \""
        + (value.length() <= 40 ? value : value.substring(0, 40) + "...")
        + "\", a category the model was not trained on; send one of "
        + known
        + ".";
  }

  /** JSON Pointer escaping (RFC 6901). */
  public static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
