package dev.predictfn.records;

import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.Predictor;
import dev.predictfn.model.ScoredRows;
import dev.predictfn.monitoring.Deployment;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives scored rows their prediction ids and records a sample of them, and records every
 * ground-truth label, so that predictions can be joined with the truth that arrives later
 * (docs/operations.md, "Prediction records and online accuracy").
 *
 * <p>The sampling decision is made per row, independently, with probability {@code
 * PREDICTION_LOG_SAMPLE}; a request encodes its sampled rows' records and queues them as one chunk
 * ({@link RecordWriter} writes them).
 */
// Created at start-up: a bad PREDICTION_LOG_SAMPLE stops the process before it takes traffic.
@Context
public final class PredictionLog implements AutoCloseable {
  /**
   * The MDC key under which the request's trace id travels ({@code logging.CloudLoggingLayout}
   * writes the same key; {@code PredictionRecordsTest} checks that a record carries the request's
   * trace).
   */
  static final String TRACE_MDC_KEY = "trace";

  /** Room for one record's line, enough for Iris with features; a longer one grows its buffer. */
  private static final int RECORD_BYTES = 768;

  private static final Pattern ID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final double sample;
  private final boolean features;
  private final String revision;
  private final RecordWriter writer;
  private volatile Formats formats;

  public PredictionLog(RecordConfiguration configuration, Deployment deployment, RecordOutput out) {
    this.sample = configuration.sample();
    this.features = configuration.features();
    this.revision = deployment.revision() == null ? "" : deployment.revision().trim();
    this.writer = new RecordWriter(out.stream());
  }

  /**
   * Gives the results their prediction ids, in place, and encodes the sampled ones as records, on
   * the calling thread, queued together: for a protocol that answers every row's id ({@link
   * Protocol#answersIds}; {@link #record} is for one that does not).
   *
   * @param rows the scored rows, in the order of {@code results}
   * @param results the rows' results, a list this method replaces the elements of
   * @param protocol the protocol the rows arrived by
   * @return {@code results}
   * @throws IllegalArgumentException when {@code protocol} answers no ids
   */
  public List<PredictionResult> identify(
      Predictor predictor, List<double[]> rows, List<PredictionResult> results, Protocol protocol) {
    if (!protocol.answersIds()) {
      throw new IllegalArgumentException(protocol + " answers no ids: record() the sample");
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Sample records = new Sample(predictor, protocol, results.size());
    for (int i = 0; i < results.size(); i++) {
      PredictionResult result = results.get(i).identified(PredictionIds.next());
      results.set(i, result);
      if (sampled(random)) {
        records.append(result, rows.get(i));
      }
    }
    records.queue();
    return results;
  }

  /**
   * Records a sample of rows scored for a protocol that does not answer ids ({@link
   * Protocol#answersIds}): only a recorded row gets an id, in its record, so only a recorded row
   * becomes a {@link PredictionResult}.
   *
   * @param rows the scored rows, in the order of {@code scored}
   * @throws IllegalArgumentException when {@code protocol} answers ids: {@link #identify} then
   *     gives every row its id
   */
  public void record(
      Predictor predictor, List<double[]> rows, ScoredRows scored, Protocol protocol) {
    if (protocol.answersIds()) {
      throw new IllegalArgumentException(protocol + " answers ids: identify every row");
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Sample records = new Sample(predictor, protocol, scored.size());
    for (int i = 0; i < scored.size(); i++) {
      if (sampled(random)) {
        records.append(scored.result(i).identified(PredictionIds.next()), rows.get(i));
      }
    }
    records.queue();
  }

  /** Whether the next row gets a record: each row independently, with probability sample. */
  private boolean sampled(ThreadLocalRandom random) {
    return sample > 0 && (sample >= 1 || random.nextDouble() < sample);
  }

  /** The records of one request's sampled rows, encoded as they come and queued together. */
  private final class Sample {
    private final Predictor predictor;
    private final Protocol protocol;
    private final int rows;
    private RecordBytes lines;
    private RecordJson.PredictionLines format;
    private byte[] time;
    private byte[] trace;
    private int count;

    Sample(Predictor predictor, Protocol protocol, int rows) {
      this.predictor = predictor;
      this.protocol = protocol;
      this.rows = rows;
    }

    /** Encodes the record of {@code result}, an identified prediction of {@code row}. */
    void append(PredictionResult result, double[] row) {
      if (lines == null) {
        lines = new RecordBytes(RECORD_BYTES * (int) Math.ceil(rows * sample));
        format = formatOf(predictor, protocol);
        time = RecordJson.time(System.currentTimeMillis());
        trace = RecordJson.traceField(MDC.get(TRACE_MDC_KEY));
      }
      format.append(lines, time, result, features ? row : null, trace);
      count++;
    }

    /** Hands the records to the writer, if there are any. */
    void queue() {
      if (lines != null) {
        writer.add(lines, count);
      }
    }
  }

  /** Records that {@code predictionId}'s true label is {@code label} (already checked). */
  public void feedback(String predictionId, String label) {
    RecordBytes line = new RecordBytes(RECORD_BYTES);
    RecordJson.appendFeedback(
        line, System.currentTimeMillis(), predictionId, label, revision, MDC.get(TRACE_MDC_KEY));
    writer.add(line, 1);
  }

  /** The record format of {@code predictor}'s rows arriving by {@code protocol}. */
  private RecordJson.PredictionLines formatOf(Predictor predictor, Protocol protocol) {
    Formats current = formats;
    if (current == null || current.predictor != predictor) {
      current = new Formats(predictor, new RecordJson.PredictionLines[Protocol.values().length]);
      formats = current;
    }
    RecordJson.PredictionLines format = current.byProtocol[protocol.ordinal()];
    if (format == null) {
      format =
          new RecordJson.PredictionLines(predictor.card(), predictor.schema(), revision, protocol);
      // A race only builds the same format twice.
      current.byProtocol[protocol.ordinal()] = format;
    }
    return format;
  }

  /** The formats built for one predictor (a new model gets new ones). */
  private record Formats(Predictor predictor, RecordJson.PredictionLines[] byProtocol) {}

  /** Records written so far (for tests and the benchmark's accounting). */
  public long written() {
    return writer.written();
  }

  /** Writes every queued record; called when the application stops, after requests drained. */
  @PreDestroy
  @Override
  public void close() {
    writer.close();
  }

  /** Whether {@code value} is a usable prediction id: what this service hands out, or any UUID. */
  public static boolean isId(@Nullable String value) {
    return value != null && ID.matcher(value).matches();
  }
}
