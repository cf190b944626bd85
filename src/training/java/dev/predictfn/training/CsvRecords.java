package dev.predictfn.training;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV file split into a header and records of cells, each record with its 1-based line number.
 *
 * <p>Comma-separated, RFC 4180 quoting ({@code "a, b"} and {@code ""} for a quote inside quotes),
 * UTF-8 with or without a byte order mark, {@code \n} or {@code \r\n}; blank lines are skipped. A
 * record may not span lines: training data with newlines inside cells is refused with its line.
 *
 * @param fileName the name errors use
 * @param header the header cells, trimmed
 * @param records the data records, cells trimmed
 * @param lines the line number of each record
 */
public record CsvRecords(
    String fileName, List<String> header, List<String[]> records, List<Integer> lines) {

  /** Splits {@code csv}; every problem names {@code fileName} and the line. */
  public static CsvRecords parse(String fileName, byte[] csv) {
    String text = new String(csv, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\r?\n", -1);
    if (lines.length == 0 || lines[0].isBlank()) {
      throw new TrainingException(fileName + " line 1: missing header row");
    }
    List<String> header = List.of(cells(fileName, 1, lines[0]));
    List<String[]> records = new ArrayList<>(lines.length);
    List<Integer> numbers = new ArrayList<>(lines.length);
    for (int n = 1; n < lines.length; n++) {
      if (lines[n].isBlank()) {
        continue;
      }
      String[] cells = cells(fileName, n + 1, lines[n]);
      if (cells.length != header.size()) {
        throw new TrainingException(
            fileName
                + " line "
                + (n + 1)
                + ": expected "
                + header.size()
                + " columns but found "
                + cells.length);
      }
      records.add(cells);
      numbers.add(n + 1);
    }
    return new CsvRecords(fileName, header, records, numbers);
  }

  private static String[] cells(String fileName, int lineNumber, String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"' && cell.toString().isBlank() && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
        cell.setLength(0);
      } else if (c == ',') {
        cells.add(wasQuoted ? cell.toString() : cell.toString().trim());
        cell.setLength(0);
        wasQuoted = false;
      } else if (wasQuoted && !Character.isWhitespace(c)) {
        throw new TrainingException(
            fileName
                + " line "
                + lineNumber
                + ", character "
                + (i + 1)
                + ": text after a closing quote; quote the whole cell");
      } else if (!wasQuoted) {
        cell.append(c);
      }
    }
    if (quoted) {
      throw new TrainingException(
          fileName
              + " line "
              + lineNumber
              + ": a quoted cell is not closed (cells may not span lines)");
    }
    cells.add(wasQuoted ? cell.toString() : cell.toString().trim());
    return cells.toArray(String[]::new);
  }
}
