package dev.predictfn.batch;

import dev.predictfn.bundle.BundleLocation;
import dev.predictfn.bundle.InvalidBundleException;
import dev.predictfn.bundle.ModelBundleReader;
import dev.predictfn.bundle.ModelCardJson;
import dev.predictfn.model.ModelConfiguration;
import dev.predictfn.model.Predictor;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What one task of a batch scoring job works on, settled before it reads a row: the model, the
 * input files and their format, and this task's pieces of them ({@link Shares}).
 *
 * @param predictor the verified model (the built-in one, or {@code --model})
 * @param files every input file, in order
 * @param kind the files' format, from their names
 * @param format how a line becomes a row, and a scored row a line
 * @param pieces this task's byte ranges of the files
 * @param bytes how many bytes the pieces hold together
 */
record TaskInput(
    Predictor predictor,
    List<Path> files,
    InputFiles.Format kind,
    RowFormat format,
    List<Shares.Piece> pieces,
    long bytes) {

  /**
   * Loads the model and plans the task's share of the input.
   *
   * @param mappers the JSON mapper JSON Lines input needs (its general path parses lines), asked
   *     for only then: a mapper starts a Micronaut context, which a CSV task does without
   */
  static TaskInput open(ScoreOptions options, Supplier<JsonMapper> mappers)
      throws IOException, InvalidBundleException {
    BundleLocation location =
        options.model() == null
            ? BundleLocation.classpath(ModelConfiguration.BUILT_IN_FOLDER)
            : BundleLocation.directory(options.model());
    Predictor predictor =
        new Predictor(new ModelBundleReader(new ModelCardJson()).read(location, List.of()));
    List<Path> files = InputFiles.resolve(options.input());
    InputFiles.Format kind = InputFiles.Format.of(files.get(0));
    long[] sizes = new long[files.size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = Files.size(files.get(i));
    }
    RowFormat format =
        kind == InputFiles.Format.CSV
            ? new CsvRows(
                commonHeader(files),
                predictor.schema(),
                options.idColumn(),
                predictor.card().labels())
            : new JsonLinesRows(
                mappers.get(), predictor.schema(), options.idColumn(), predictor.card().labels());
    List<Shares.Piece> pieces =
        Shares.forTask(
            files, sizes, options.taskIndex(), options.taskCount(), options.splitBytes());
    long bytes = 0;
    for (Shares.Piece piece : pieces) {
      bytes += piece.end() - piece.start();
    }
    return new TaskInput(predictor, files, kind, format, pieces, bytes);
  }

  /** Whether the input is CSV, whose first line of each file is its header. */
  boolean csv() {
    return kind == InputFiles.Format.CSV;
  }

  /** The header every CSV file shares (empty files have none); files that differ are refused. */
  private static String commonHeader(List<Path> files) throws IOException {
    String header = null;
    Path first = null;
    for (Path file : files) {
      String line = PieceReader.firstLine(file);
      if (line == null) {
        continue;
      }
      if (line.startsWith("\uFEFF")) {
        line = line.substring(1); // the byte order mark spreadsheet programs put before a CSV
      }
      if (header == null) {
        header = line;
        first = file;
      } else if (!header.equals(line)) {
        throw new IllegalArgumentException(
            file
                + " has the header "
                + line
                + ", "
                + first
                + " has "
                + header
                + "; the files of one job share one header");
      }
    }
    if (header == null) {
      throw new IllegalArgumentException("every input file is empty; a CSV file needs a header");
    }
    return header;
  }
}
