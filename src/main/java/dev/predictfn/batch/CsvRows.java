package dev.predictfn.batch;

import dev.predictfn.bundle.InputSchema;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CSV rows: a header naming the columns (the model's features among them, in any order), then one
 * record per line (RFC 4180 quoting within the line; a quoted field cannot span lines, since tasks
 * split files on line ends). The output keeps the input's columns, or only the {@code --id} column,
 * and adds {@code prediction} and {@code probability_<label>} for each label.
 */
final class CsvRows implements RowFormat {
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private final List<String> header;
  private final int[] featureColumns;
  private final List<String> names;
  private final boolean[] categorical;
  private final int idColumn;
  private final List<String> labels;
  private final InputSchema schema;
  private final Map<String, String> quotedLabels = new HashMap<>();

  CsvRows(String headerLine, InputSchema schema, @Nullable String id, List<String> labels) {
    try {
      this.header = split(headerLine);
    } catch (BadRowException e) {
      throw new IllegalArgumentException("the header line: " + e.getMessage());
    }
    this.names = schema.names();
    this.featureColumns = new int[names.size()];
    this.categorical = new boolean[names.size()];
    for (int f = 0; f < names.size(); f++) {
      featureColumns[f] = header.indexOf(names.get(f));
      categorical[f] = schema.isCategorical(f);
      if (featureColumns[f] < 0) {
        throw new IllegalArgumentException(
            "the header has no column "
                + names.get(f)
                + "; it has "
                + header
                + " and the model takes "
                + names);
      }
    }
    this.idColumn = id == null ? -1 : header.indexOf(id);
    if (id != null && idColumn < 0) {
      throw new IllegalArgumentException(
          "--id " + id + ": the header has no such column " + header);
    }
    this.labels = labels;
    this.schema = schema;
    for (String label : labels) {
      quotedLabels.put(label, quote(label));
    }
  }

  @Override
  public Parsed parse(String line) throws BadRowException {
    List<String> fields = split(line);
    if (fields.size() != header.size()) {
      throw new BadRowException(
          "the line has " + fields.size() + " fields but the header has " + header.size() + ".");
    }
    Map<String, JsonNode> row = new LinkedHashMap<>();
    for (int f = 0; f < names.size(); f++) {
      String text = fields.get(featureColumns[f]);
      JsonNode value;
      if (categorical[f]) {
        value = JsonNode.createStringNode(text);
      } else if (text.isEmpty()) {
        value = JsonNode.nullNode();
      } else if (NUMBER.matcher(text).matches()) {
        value = JsonNode.createNumberNode(Double.parseDouble(text));
      } else {
        value = JsonNode.createStringNode(text);
      }
      row.put(names.get(f), value);
    }
    return new Parsed(
        JsonNode.createObjectNode(row), idColumn < 0 ? line : quote(fields.get(idColumn)));
  }

  @Override
  public String header() {
    StringBuilder out = new StringBuilder();
    if (idColumn < 0) {
      for (int i = 0; i < header.size(); i++) {
        out.append(i == 0 ? "" : ",").append(quote(header.get(i)));
      }
    } else {
      out.append(quote(header.get(idColumn)));
    }
    out.append(",prediction");
    for (String label : labels) {
      out.append(',').append(quote("probability_" + label));
    }
    return out.toString();
  }

  @Override
  public void write(StringBuilder out, Parsed row, String label, double[] probabilities) {
    appendPrediction(out.append(row.kept()), label, probabilities);
  }

  /** Appends what the output adds after the kept columns: the label and each probability. */
  void appendPrediction(StringBuilder out, String label, double[] probabilities) {
    out.append(',').append(quotedLabel(label));
    for (double probability : probabilities) {
      out.append(',').append(probability);
    }
  }

  /** The label as the output's field writes it. */
  String quotedLabel(String label) {
    String quoted = quotedLabels.get(label);
    return quoted != null ? quoted : quote(label);
  }

  @Override
  public FastPath fastPath() {
    return new CsvFastPath(this, schema, header.size(), featureColumns, idColumn);
  }

  /** The fields of one CSV record on one line (RFC 4180 quotes). */
  static List<String> split(String line) throws BadRowException {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    while (true) {
      if (i < line.length() && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= line.length()) {
            throw new BadRowException("a quoted field is not closed on its line.");
          }
          char c = line.charAt(i++);
          if (c == '"') {
            if (i < line.length() && line.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(c);
          }
        }
        if (i < line.length() && line.charAt(i) != ',') {
          throw new BadRowException("a quoted field is followed by text before the next comma.");
        }
      } else {
        int comma = line.indexOf(',', i);
        int stop = comma < 0 ? line.length() : comma;
        field.append(line, i, stop);
        i = stop;
      }
      fields.add(field.toString());
      field.setLength(0);
      if (i >= line.length()) {
        return fields;
      }
      i++; // the comma
    }
  }

  /** A field as CSV writes it: quoted only when it holds a comma, quote or line end. */
  static String quote(String field) {
    if (field.indexOf(',') < 0
        && field.indexOf('"') < 0
        && field.indexOf('\n') < 0
        && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
