package dev.predictfn.batch;

import dev.predictfn.bundle.InvalidBundleException;
import dev.predictfn.drift.DriftReport;
import dev.predictfn.drift.DriftTally;
import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.Predictor;
import dev.predictfn.model.UnscorableRowException;
import dev.predictfn.rows.FieldError;
import dev.predictfn.rows.FieldErrors;
import dev.predictfn.rows.RowReader;
import io.micronaut.json.JsonMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task of a batch scoring job: reads its share of the input ({@link Shares}) line by line,
 * validates each row as the HTTP API does ({@link RowReader}), scores rows in chunks, and writes
 * its part of the output, its rejects, its input's drift against the model card and a summary
 * ({@link TaskFiles}). Memory stays bounded whatever the input's size: one chunk of rows, one line,
 * and the writers' buffers.
 */
final class ScoreTask {
  private static final Logger LOG = LoggerFactory.getLogger(ScoreTask.class);
  private static final int CHUNK = 1024;

  private final ScoreOptions options;
  private final JsonMapper mapper = JsonMapper.createDefault();

  private Predictor predictor;
  private RowFormat format;
  private RowReader validator;
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

  ScoreTask(ScoreOptions options) {
    this.options = options;
  }

  /** Runs the task; returns its exit status. */
  int run() throws IOException, InvalidBundleException {
    started = System.nanoTime();
    lastProgress = started;
    TaskInput input = TaskInput.open(options, mapper);
    predictor = input.predictor();
    format = input.format();
    validator = new RowReader(predictor.schema());
    drift = new DriftTally(predictor.schema());
    bytesTotal = input.bytes();
    LOG.atInfo()
        .addKeyValue("task", options.taskIndex())
        .addKeyValue("tasks", options.taskCount())
        .addKeyValue("files", input.files().size())
        .addKeyValue("pieces", input.pieces().size())
        .addKeyValue("bytes", bytesTotal)
        .addKeyValue("model_version", predictor.version())
        .log(
            "score: task {} of {} scores {} pieces ({} bytes) of {} files with {} {}",
            options.taskIndex(),
            options.taskCount(),
            input.pieces().size(),
            bytesTotal,
            input.files().size(),
            predictor.card().modelName(),
            predictor.version());

    try (TaskFiles out =
        new TaskFiles(options.output(), options.taskIndex(), options.taskCount())) {
      scoredOut = out.open("part", input.kind().extension());
      rejectsOut = out.open("rejects", "jsonl");
      if (format.header() != null) {
        scoredOut.write(format.header());
        scoredOut.write('\n');
      }
      for (Shares.Piece piece : input.pieces()) {
        score(piece, input.csv());
        bytesDone += piece.end() - piece.start();
      }
      DriftReport report = drift.report(options.psiThreshold(), options.maxOutOfRange());
      try (BufferedWriter driftOut = out.open("drift", "json")) {
        driftOut.write(TaskReports.drift(report, predictor.version()));
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      try (BufferedWriter summaryOut = out.open("summary", "json")) {
        summaryOut.write(
            TaskReports.summary(
                options,
                predictor.version(),
                input.files().size(),
                input.pieces().size(),
                new long[] {read, scored, rejected},
                seconds,
                report.drifted()));
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
            List.of(new FieldError("#", unscorable)));
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

  private void reject(Path file, long lineNumber, long offset, List<FieldError> errors)
      throws IOException {
    rejected++;
    rejectsOut.append(TaskReports.reject(file, lineNumber, offset, errors));
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
}
