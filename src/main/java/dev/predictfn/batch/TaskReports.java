package dev.predictfn.batch;

import dev.predictfn.drift.DriftReport;
import dev.predictfn.rows.FieldError;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The JSON a task writes besides its scored rows: rejects, drift and summary lines. */
final class TaskReports {
  private TaskReports() {}

  /** One line of the rejects file: where the line is and what is wrong with it. */
  static StringBuilder reject(Path file, long lineNumber, long offset, List<FieldError> errors) {
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
    return json.append("]}\n");
  }

  /** The task's drift file: its rows' drift against the model card. */
  static String drift(DriftReport report, String modelVersion) {
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
        .append(JsonText.quote(modelVersion))
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

  /** The task's summary file. */
  static String summary(
      ScoreOptions options,
      String modelVersion,
      int files,
      int pieces,
      long[] rows,
      double seconds,
      boolean drifted) {
    return String.format(
        Locale.ROOT,
        "{\"task\":%d,\"tasks\":%d,\"model_version\":%s,\"files\":%d,\"pieces\":%d,"
            + "\"rows_read\":%d,\"rows_scored\":%d,\"rows_rejected\":%d,\"seconds\":%.3f,"
            + "\"rows_per_second\":%d,\"drifted\":%b}%n",
        options.taskIndex(),
        options.taskCount(),
        JsonText.quote(modelVersion),
        files,
        pieces,
        rows[0],
        rows[1],
        rows[2],
        seconds,
        Math.round(rows[0] / Math.max(seconds, 1e-9)),
        drifted);
  }
}
