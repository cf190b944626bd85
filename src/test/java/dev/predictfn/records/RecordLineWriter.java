package dev.predictfn.records;

import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.model.PredictionResult;
import io.micronaut.core.annotation.Nullable;
import java.util.Map;

/** Record lines exactly as the service writes them, for tests that need streams of records. */
public final class RecordLineWriter {
  private RecordLineWriter() {}

  /** A prediction record line for {@code bundle}'s model. */
  public static String prediction(
      ModelBundle bundle,
      long epochMillis,
      String revision,
      String id,
      String label,
      Map<String, Double> probabilities,
      @Nullable double[] row,
      @Nullable String trace) {
    RecordBytes line = new RecordBytes(1024);
    new RecordJson.PredictionLines(bundle.card(), bundle.schema(), revision, Protocol.PREDICT)
        .append(
            line,
            RecordJson.time(epochMillis),
            new PredictionResult(label, probabilities).identified(id),
            row,
            RecordJson.traceField(trace));
    return line.toString().stripTrailing();
  }

  /** A feedback record line. */
  public static String feedback(long epochMillis, String id, String label, String revision) {
    RecordBytes line = new RecordBytes(256);
    RecordJson.appendFeedback(line, epochMillis, id, label, revision, null);
    return line.toString().stripTrailing();
  }

  /**
   * {@code line} as a Cloud Storage logging sink writes it: a log entry with the record as its
   * {@code jsonPayload} and its time as the entry's {@code timestamp}.
   */
  public static String asSinkEntry(String line) {
    String time = line.replaceFirst(".*?\"time\":\"([^\"]+)\".*", "$1");
    String payload = line.replaceFirst("\"severity\":\"INFO\",\"time\":\"[^\"]+\",", "");
    return "{\"insertId\":\"abc\",\"jsonPayload\":"
        + payload
        + ",\"logName\":\"projects/p/logs/run.googleapis.com%2Fstdout\",\"severity\":\"INFO\","
        + "\"timestamp\":\""
        + time
        + "\"}";
  }
}
