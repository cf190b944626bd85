package dev.predictfn.batch;

import dev.predictfn.bundle.InvalidBundleException;
import dev.predictfn.drift.DriftReport;
import dev.predictfn.drift.DriftTally;
import dev.predictfn.model.Predictor;
import dev.predictfn.model.UnscorableRowException;
import dev.predictfn.rows.FieldError;
import dev.predictfn.rows.FieldErrors;
import dev.predictfn.rows.RowReader;
import io.micronaut.json.JsonMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Path;
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
  private final boolean direct;

  private Predictor predictor;
  private Predictor.RowScorer scorer;
  private RowFormat format;
  private FastPath fastPath;
  private RowReader validator;
  private DriftTally drift;
  private PartOutput scoredOut;
  private BufferedWriter rejectsOut;
  private final StringBuilder line = new StringBuilder(256);
  private Chunk chunk;
  private long read;
  private long scored;
  private long rejected;
  private long bytesDone;
  private long bytesTotal;
  private long started;
  private long lastProgress;

  ScoreTask(ScoreOptions options) {
    this(options, true);
  }

  /**
   * A task that reads ordinary lines straight into rows ({@link FastPath}) when {@code direct},
   * else every line the general way: both write the same bytes, which {@code DirectReadingTest}
   * checks.
   */
  ScoreTask(ScoreOptions options, boolean direct) {
    this.options = options;
    this.direct = direct;
  }

  /** Runs the task; returns its exit status. */
  int run() throws IOException, InvalidBundleException {
    started = System.nanoTime();
    lastProgress = started;
    TaskInput input = TaskInput.open(options, JsonMapper::createDefault);
    predictor = input.predictor();
    scorer = predictor.rowScorer();
    format = input.format();
    fastPath = direct ? format.fastPath() : null;
    validator = new RowReader(predictor.schema());
    chunk = new Chunk(CHUNK, predictor.schema().size());
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
      scoredOut = out.openPart("part", input.kind().extension());
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
        if (fastPath != null && fastPath.read(reader.bytes(), reader.length(), chunk.nextRow())) {
          read++;
          chunk.addDirect(
              fastPath.keptPrefix(),
              reader.bytes(),
              fastPath.keptStart(),
              fastPath.keptEnd(),
              reader.linesRead(),
              reader.offset());
        } else {
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
            chunk.addParsed(row, parsed, reader.linesRead(), reader.offset());
          } catch (BadRowException e) {
            reject(piece.file(), reader.lineNumber(), reader.offset(), e.errors());
          }
        }
        if (chunk.isFull()) {
          flush(reader, piece.file());
        }
        if ((read & 4095) == 0) {
          progress(reader.offset() - piece.start());
        }
      }
      flush(reader, piece.file());
    }
  }

  /** Scores the chunk's rows in order and writes each one's output line, or its reject. */
  private void flush(PieceReader reader, Path file) throws IOException {
    for (int i = 0; i < chunk.size(); i++) {
      double[] row = chunk.row(i);
      String label = scorer.score(row);
      if (label == null) {
        reject(
            file,
            reader.lineNumberAt(chunk.mark(i)),
            chunk.offset(i),
            List.of(new FieldError("#", UnscorableRowException.MESSAGE)));
        continue;
      }
      RowFormat.Parsed parsed = chunk.parsed(i);
      if (parsed == null) {
        chunk.writeKept(i, scoredOut);
        fastPath.writePrediction(scoredOut, label, scorer.probabilities(), line);
      } else {
        line.setLength(0);
        format.write(line, parsed, label, scorer.probabilities());
        scoredOut.write(line.append('\n'));
      }
      drift.add(row);
      scored++;
    }
    chunk.clear();
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
