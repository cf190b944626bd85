package dev.predictfn.evaluate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.predictfn.bundle.ModelCard;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * What {@code evaluate} found: per revision and model, online accuracy, macro-F1 and log loss
 * beside the card's test metrics and a verdict; per day the same metrics; and the counts that say
 * how much of the input joined.
 */
final class EvaluateReport {
  /** A revision's verdict. */
  enum Verdict {
    OK("ok"),
    DROPPED("accuracy dropped"),
    TOO_FEW_LABELS("too few labels to judge"),
    NO_CARD("no card for this model");

    final String text;

    Verdict(String text) {
      this.text = text;
    }
  }

  /** One revision and model, judged. */
  record Judged(OnlineAccuracy.Group group, @Nullable ModelCard card, Verdict verdict) {}

  private static final JsonFactory JSON = new JsonFactory();

  private final EvaluateOptions options;
  private final RecordLines lines;
  private final OnlineAccuracy join;
  private final List<Judged> judged = new ArrayList<>();

  EvaluateReport(
      EvaluateOptions options,
      RecordLines lines,
      OnlineAccuracy join,
      Map<String, ModelCard> cardsBySha256) {
    this.options = options;
    this.lines = lines;
    this.join = join;
    for (OnlineAccuracy.Group group : join.groups()) {
      ModelCard card = cardsBySha256.get(group.key.modelSha256());
      judged.add(new Judged(group, card, verdict(group, card)));
    }
  }

  private Verdict verdict(OnlineAccuracy.Group group, @Nullable ModelCard card) {
    if (card == null) {
      return Verdict.NO_CARD;
    }
    if (group.metrics.labelled() < options.minLabelled()) {
      return Verdict.TOO_FEW_LABELS;
    }
    return group.metrics.accuracy() < card.evaluation().accuracy() - options.maxAccuracyDrop()
        ? Verdict.DROPPED
        : Verdict.OK;
  }

  List<Judged> judged() {
    return List.copyOf(judged);
  }

  /** Whether any revision's accuracy dropped more than allowed. */
  boolean dropped() {
    return judged.stream().anyMatch(j -> j.verdict() == Verdict.DROPPED);
  }

  /**
   * One log line per revision: an ERROR for a revision whose accuracy dropped (the line {@code
   * cloudrun/alerts/online-accuracy.yaml} fires on), INFO otherwise, the figures as fields.
   */
  void log(Logger log) {
    for (Judged j : judged) {
      OnlineAccuracy.Group g = j.group();
      LoggingEventBuilder line =
          (j.verdict() == Verdict.DROPPED ? log.atError() : log.atInfo())
              .addKeyValue("evaluate_verdict", j.verdict().name().toLowerCase(Locale.ROOT))
              .addKeyValue("revision", g.key.revision())
              .addKeyValue("model_version", g.key.modelVersion())
              .addKeyValue("model_sha256", g.key.modelSha256())
              .addKeyValue("predictions", g.predictions)
              .addKeyValue("labelled", g.metrics.labelled());
      if (g.metrics.labelled() > 0) {
        line =
            line.addKeyValue("online_accuracy", g.metrics.accuracy())
                .addKeyValue("macro_f1", g.metrics.macroF1())
                .addKeyValue("log_loss", g.metrics.logLoss());
      }
      if (j.card() != null) {
        line = line.addKeyValue("card_accuracy", j.card().evaluation().accuracy());
      }
      String revision = g.key.revision().isEmpty() ? "-" : g.key.revision();
      String model = g.key.modelVersion() + " " + g.key.modelSha256();
      String verdict =
          switch (j.verdict()) {
            case DROPPED ->
                "dropped to "
                    + figure(g.metrics.accuracy())
                    + " over "
                    + g.metrics.labelled()
                    + " labelled predictions, more than "
                    + options.maxAccuracyDrop()
                    + " below its card's test accuracy "
                    + figure(j.card().evaluation().accuracy());
            case OK ->
                "is "
                    + figure(g.metrics.accuracy())
                    + " over "
                    + g.metrics.labelled()
                    + " labelled predictions; its card's test accuracy is "
                    + figure(j.card().evaluation().accuracy());
            case TOO_FEW_LABELS ->
                "not judged: "
                    + g.metrics.labelled()
                    + " labelled predictions, fewer than "
                    + options.minLabelled();
            case NO_CARD -> "not judged: no card for this model (pass it with --card)";
          };
      line.log("Online accuracy of revision {} (model {}) {}", revision, model, verdict);
    }
  }

  /** The report as text, for the job's log. */
  String text() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "evaluate: %d lines, %d prediction records (%d repeated), %d feedback records (%d"
                + " superseded by a later label, %d for ids with no prediction record), %d"
                + " invalid, %d other lines skipped%n",
            lines.lines(),
            join.predictionRecords(),
            join.repeatedPredictions(),
            join.feedbackRecords(),
            join.supersededLabels(),
            join.unjoinedLabels(),
            lines.invalid(),
            lines.skipped()));
    for (String example : lines.invalidExamples()) {
      out.append("  invalid: ").append(example).append('\n');
    }
    out.append(
        "| revision | model | predictions | labelled | accuracy | card accuracy | macro-F1 | card"
            + " macro-F1 | log loss | card log loss | verdict |\n");
    out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (Judged j : judged) {
      OnlineAccuracy.Group g = j.group();
      ModelCard.Evaluation card = j.card() == null ? null : j.card().evaluation();
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s (%s) | %d | %d | %s | %s | %s | %s | %s | %s | %s |%n",
              g.key.revision().isEmpty() ? "-" : g.key.revision(),
              g.key.modelVersion(),
              g.key.modelSha256().length() > 12
                  ? g.key.modelSha256().substring(0, 12)
                  : g.key.modelSha256(),
              g.predictions,
              g.metrics.labelled(),
              figure(g.metrics.accuracy()),
              card == null ? "-" : figure(card.accuracy()),
              figure(g.metrics.macroF1()),
              card == null ? "-" : figure(card.macroF1()),
              figure(g.metrics.logLoss()),
              card == null ? "-" : figure(card.logLoss()),
              j.verdict().text));
    }
    return out.toString();
  }

  /** The report as JSON. */
  void writeJson(OutputStream out) throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out).useDefaultPrettyPrinter()) {
      json.writeStartObject();
      json.writeNumberField("lines", lines.lines());
      json.writeNumberField("prediction_records", join.predictionRecords());
      json.writeNumberField("repeated_prediction_records", join.repeatedPredictions());
      json.writeNumberField("feedback_records", join.feedbackRecords());
      json.writeNumberField("superseded_labels", join.supersededLabels());
      json.writeNumberField("unjoined_labels", join.unjoinedLabels());
      json.writeNumberField("invalid_lines", lines.invalid());
      json.writeNumberField("skipped_lines", lines.skipped());
      json.writeNumberField("max_accuracy_drop", options.maxAccuracyDrop());
      json.writeNumberField("min_labelled", options.minLabelled());
      json.writeBooleanField("dropped", dropped());
      json.writeArrayFieldStart("revisions");
      for (Judged j : judged) {
        OnlineAccuracy.Group g = j.group();
        json.writeStartObject();
        json.writeStringField("revision", g.key.revision());
        json.writeStringField("model_version", g.key.modelVersion());
        json.writeStringField("model_sha256", g.key.modelSha256());
        json.writeNumberField("predictions", g.predictions);
        metrics(json, g.metrics);
        if (j.card() != null) {
          ModelCard.Evaluation card = j.card().evaluation();
          json.writeObjectFieldStart("card");
          json.writeNumberField("accuracy", card.accuracy());
          json.writeNumberField("macro_f1", card.macroF1());
          json.writeNumberField("log_loss", card.logLoss());
          json.writeEndObject();
        }
        json.writeStringField("verdict", j.verdict().name().toLowerCase(Locale.ROOT));
        json.writeArrayFieldStart("days");
        for (Map.Entry<java.time.LocalDate, OnlineAccuracy.Day> day : g.days.entrySet()) {
          json.writeStartObject();
          json.writeStringField("day", day.getKey().toString());
          json.writeNumberField("predictions", day.getValue().predictions);
          metrics(json, day.getValue().metrics);
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  private static void metrics(JsonGenerator json, OnlineMetrics metrics) throws IOException {
    json.writeNumberField("labelled", metrics.labelled());
    if (metrics.labelled() > 0) {
      json.writeNumberField("accuracy", metrics.accuracy());
      json.writeNumberField("macro_f1", metrics.macroF1());
      json.writeNumberField("log_loss", metrics.logLoss());
    }
  }

  private static String figure(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.4f", value);
  }
}
