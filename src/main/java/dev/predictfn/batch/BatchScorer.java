package dev.predictfn.batch;

import dev.predictfn.bundle.BundleLocation;
import dev.predictfn.bundle.InputSchema;
import dev.predictfn.bundle.InvalidBundleException;
import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.bundle.ModelBundleReader;
import dev.predictfn.drift.DriftReport;
import dev.predictfn.drift.DriftTally;
import dev.predictfn.http.FieldErrors;
import dev.predictfn.http.JsonRowReader;
import dev.predictfn.http.Problem;
import dev.predictfn.model.ModelConfiguration;
import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.Predictor;
import dev.predictfn.model.UnscorableRowException;
import dev.predictfn.serde.ModelCardJson;
import io.micronaut.json.JsonMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task of a batch scoring job: reads its share of the input ({@link Shares}) line by line,
 * validates each row as the HTTP API does ({@link JsonRowReader}), scores rows in chunks, and
 * writes its part of the output, its rejects, its input's drift against the model card and a
 * summary ({@link TaskFiles}). Memory stays bounded whatever the input's size: one chunk of rows,
 * one line, and the writers' buffers.
 */
final class BatchScorer {
  private static final Logger LOG = LoggerFactory.getLogger(BatchScorer.class);
  private static final int CHUNK = 1024;

  private final ScoreOptions options;
  private final JsonMapper mapper = JsonMapper.createDefault();

  private Predictor predictor;
  private RowFormat format;
  private JsonRowReader validator;
  private DriftTally drift;
  private BufferedWriter scoredOut;
  private BufferedWriter rejectsOut;
  private final StringBuilder line = new StringBuilder(256);
  private final List<double[]> chunkRows = new ArrayList<>(CHUNK);
  private final List<RowFormat.Parsed> chunkParsed = new ArrayList<>(CHUNK);
  private final List<long[]> chunkWhere = new ArrayList<>(CHUNK); // {reader's mark, byte offset}
  private long read;
  private long scored;
  private long rejected;
  private long bytesDone;
  private long bytesTotal;
  private long started;
  private long lastProgress;

  BatchScorer(ScoreOptions options) {
    this.options = options;
  }

  /** Runs the task; returns its exit status. */
  int run() throws IOException, InvalidBundleException {
    started = System.nanoTime();
    lastProgress = started;
    BundleLocation location =
        options.model() == null
            ? BundleLocation.classpath(ModelConfiguration.BUILT_IN_FOLDER)
            : BundleLocation.directory(options.model());
    ModelBundle bundle = new ModelBundleReader(new ModelCardJson(mapper)).read(location, List.of());
    predictor = new Predictor(bundle);
    InputSchema schema = predictor.schema();
    List<String> labels = predictor.card().labels();

    List<Path> files = InputFiles.resolve(options.input());
    InputFiles.Format kind = InputFiles.Format.of(files.get(0));
    long[] sizes = new long[files.size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = Files.size(files.get(i));
    }
    format =
        kind == InputFiles.Format.CSV
            ? new CsvRows(commonHeader(files), schema, options.idColumn(), labels)
            : new JsonLinesRows(mapper, schema, options.idColumn());
    validator = new JsonRowReader(schema);
    drift = new DriftTally(schema);
    List<Shares.Piece> pieces =
        Shares.forTask(
            files, sizes, options.taskIndex(), options.taskCount(), options.splitBytes());
    for (Shares.Piece piece : pieces) {
      bytesTotal += piece.end() - piece.start();
    }
    LOG.atInfo()
        .addKeyValue("task", options.taskIndex())
        .addKeyValue("tasks", options.taskCount())
        .addKeyValue("files", files.size())
        .addKeyValue("pieces", pieces.size())
        .addKeyValue("bytes", bytesTotal)
        .addKeyValue("model_version", predictor.version())
        .log(
            "score: task {} of {} scores {} pieces ({} bytes) of {} files with {} {}",
            options.taskIndex(),
            options.taskCount(),
            pieces.size(),
            bytesTotal,
            files.size(),
            predictor.card().modelName(),
            predictor.version());

    try (TaskFiles out =
        new TaskFiles(options.output(), options.taskIndex(), options.taskCount())) {
      scoredOut = out.open("part", kind.extension());
      rejectsOut = out.open("rejects", "jsonl");
      if (format.header() != null) {
        scoredOut.write(format.header());
        scoredOut.write('\n');
      }
      for (Shares.Piece piece : pieces) {
        score(piece, kind == InputFiles.Format.CSV);
        bytesDone += piece.end() - piece.start();
      }
      DriftReport report = drift.report(options.psiThreshold(), options.maxOutOfRange());
      try (BufferedWriter driftOut = out.open("drift", "json")) {
        driftOut.write(driftJson(report));
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      try (BufferedWriter summaryOut = out.open("summary", "json")) {
        summaryOut.write(summaryJson(files.size(), pieces.size(), seconds, report.drifted()));
      }
      out.commit();
      LOG.atInfo()
          .addKeyValue("task", options.taskIndex())
          .addKeyValue("rows_read", read)
          .addKeyValue("rows_scored", scored)
          .addKeyValue("rows_rejected", rejected)
          .addKeyValue("rows_per_s", Math.round(read / Math.max(seconds, 1e-9)))
          .addKeyValue("drifted", report.drifted())
          .log(
              "score summary: task {} of {}: {} rows read, {} scored, {} rejected in {} s ({} rows/s);"
                  + " drift: {}; output {}",
              options.taskIndex(),
              options.taskCount(),
              read,
              scored,
              rejected,
              String.format(Locale.ROOT, "%.1f", seconds),
              Math.round(read / Math.max(seconds, 1e-9)),
              report.drifted() ? "DRIFT" : "none",
              options.output());
    }
    return 0;
  }

  private void score(Shares.Piece piece, boolean csv) throws IOException {
    try (PieceReader reader = new PieceReader(piece)) {
      boolean header = csv && piece.start() == 0;
      while (reader.next()) {
        if (header) {
          header = false;
          continue;
        }
        String text = reader.line();
        if (text.isBlank()) {
          continue;
        }
        read++;
        try {
          RowFormat.Parsed parsed = format.parse(text);
          FieldErrors errors = new FieldErrors();
          double[] row = validator.row(parsed.features(), "row", "#", errors);
          if (!errors.isEmpty()) {
            throw new BadRowException(errors.list());
          }
          chunkRows.add(row);
          chunkParsed.add(parsed);
          chunkWhere.add(new long[] {reader.linesRead(), reader.offset()});
          if (chunkRows.size() == CHUNK) {
            flush(reader, piece.file());
          }
        } catch (BadRowException e) {
          reject(piece.file(), reader.lineNumber(), reader.offset(), e.errors());
        }
        if ((read & 4095) == 0) {
          progress(reader.offset() - piece.start());
        }
      }
      flush(reader, piece.file());
    }
  }

  private void flush(PieceReader reader, Path file) throws IOException {
    if (chunkRows.isEmpty()) {
      return;
    }
    List<PredictionResult> results;
    String unscorable = null;
    try {
      results = predictor.predictAll(chunkRows);
    } catch (UnscorableRowException e) {
      // Scored one by one: only the rows that overflow are rejected.
      unscorable = e.getMessage();
      results = new ArrayList<>(chunkRows.size());
      for (double[] row : chunkRows) {
        try {
          results.add(predictor.predict(row));
        } catch (UnscorableRowException again) {
          results.add(null);
        }
      }
    }
    for (int i = 0; i < chunkRows.size(); i++) {
      PredictionResult result = results.get(i);
      if (result == null) {
        long[] where = chunkWhere.get(i);
        reject(
            file,
            reader.lineNumberAt(where[0]),
            where[1],
            List.of(new Problem.FieldError("#", unscorable)));
        continue;
      }
      line.setLength(0);
      format.write(line, chunkParsed.get(i), result);
      line.append('\n');
      scoredOut.append(line);
      drift.add(chunkRows.get(i));
      scored++;
    }
    chunkRows.clear();
    chunkParsed.clear();
    chunkWhere.clear();
  }

  private void reject(Path file, long lineNumber, long offset, List<Problem.FieldError> errors)
      throws IOException {
    rejected++;
    StringBuilder json = new StringBuilder(256);
    json.append("{\"file\":")
        .append(JsonText.quote(file.toString()))
        .append(",\"line\":")
        .append(lineNumber)
        .append(",\"byte\":")
        .append(offset)
        .append(",\"detail\":")
        .append(JsonText.quote(errors.get(0).detail()))
        .append(",\"errors\":[");
    for (int i = 0; i < errors.size(); i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"pointer\":")
          .append(JsonText.quote(errors.get(i).pointer()))
          .append(",\"detail\":")
          .append(JsonText.quote(errors.get(i).detail()))
          .append('}');
    }
    rejectsOut.append(json).append("]}\n");
  }

  private void progress(long bytesIntoPiece) {
    long now = System.nanoTime();
    if (now - lastProgress < options.progressSeconds() * 1_000_000_000L) {
      return;
    }
    lastProgress = now;
    double seconds = (now - started) / 1e9;
    long done = bytesDone + bytesIntoPiece;
    LOG.atInfo()
        .addKeyValue("task", options.taskIndex())
        .addKeyValue("rows_read", read)
        .addKeyValue("rows_scored", scored)
        .addKeyValue("rows_rejected", rejected)
        .addKeyValue("rows_per_s", Math.round(read / seconds))
        .addKeyValue("bytes_done", done)
        .addKeyValue("bytes_total", bytesTotal)
        .log(
            "score progress: task {}: {} rows read ({}% of its bytes), {} rejected, {} rows/s",
            options.taskIndex(),
            read,
            bytesTotal == 0 ? 100 : done * 100 / bytesTotal,
            rejected,
            Math.round(read / seconds));
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

  private String driftJson(DriftReport report) {
    StringBuilder json = new StringBuilder();
    json.append("{\"rows\":")
        .append(report.rows())
        .append(",\"psi_threshold\":")
        .append(report.psiThreshold())
        .append(",\"max_out_of_range\":")
        .append(report.outOfRangeThreshold())
        .append(",\"drifted\":")
        .append(report.drifted())
        .append(",\"model_version\":")
        .append(JsonText.quote(predictor.version()))
        .append(",\"features\":[");
    for (int i = 0; i < report.features().size(); i++) {
      DriftReport.FeatureDrift f = report.features().get(i);
      json.append(i == 0 ? "" : ",")
          .append("{\"name\":")
          .append(JsonText.quote(f.name()))
          .append(",\"kind\":")
          .append(JsonText.quote(f.kind()))
          .append(",\"psi\":")
          .append(f.psi())
          .append(",\"out_of_range\":")
          .append(f.outOfRange())
          .append(",\"drifted\":")
          .append(report.drifted(f))
          .append('}');
    }
    return json.append("]}\n").toString();
  }

  private String summaryJson(int files, int pieces, double seconds, boolean drifted) {
    return String.format(
        Locale.ROOT,
        "{\"task\":%d,\"tasks\":%d,\"model_version\":%s,\"files\":%d,\"pieces\":%d,"
            + "\"rows_read\":%d,\"rows_scored\":%d,\"rows_rejected\":%d,\"seconds\":%.3f,"
            + "\"rows_per_second\":%d,\"drifted\":%b}%n",
        options.taskIndex(),
        options.taskCount(),
        JsonText.quote(predictor.version()),
        files,
        pieces,
        read,
        scored,
        rejected,
        seconds,
        Math.round(read / Math.max(seconds, 1e-9)),
        drifted);
  }
}
