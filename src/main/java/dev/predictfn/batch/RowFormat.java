package dev.predictfn.batch;

import io.micronaut.json.tree.JsonNode;
import java.io.IOException;

/**
 * How rows are read from one line of an input file and written, with their prediction, to the
 * output: {@link CsvRows} or {@link JsonLinesRows}.
 */
interface RowFormat {
  /**
   * One line as an object of feature name to value, for the validator, and the text the output
   * keeps of it.
   */
  record Parsed(JsonNode features, String kept) {}

  /** Reads a line; a line that is not a row throws with what is wrong. */
  Parsed parse(String line) throws BadRowException;

  /** The output's first line, or null when it has none. */
  String header();

  /**
   * Appends the output line of a scored row (without the line end).
   *
   * @param probabilities each label's probability, in the card's label order
   */
  void write(StringBuilder out, Parsed row, String label, double[] probabilities);

  /** The reader of ordinary lines straight into rows. */
  FastPath fastPath() throws IOException;
}
