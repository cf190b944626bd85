package dev.predictfn.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.records.RecordLineWriter;
import dev.predictfn.support.Bundles;
import dev.predictfn.support.Json;
import io.micronaut.json.tree.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code evaluate} on a generated stream whose answers are known by construction: two revisions of
 * the built-in model (one as good as its card, one whose accuracy fell to 0.75, half of it on its
 * second day), a third revision with a model no card describes, labels that arrive late, in another
 * file, out of order, corrected, or for ids that were never recorded, prediction records delivered
 * twice, the service's own log lines, and records in both stdout and logging-sink form.
 */
class EvaluateCommandTest {
  private static final ModelBundle IRIS = Bundles.readBuiltIn();
  private static final String A = "prediction-function-00001-aaa";
  private static final String B = "prediction-function-00002-bbb";
  private static final String C = "prediction-function-00003-ccc";
  private static final long DAY_1 = 1_796_000_000_000L; // 2026-11-30T00:53:20Z
  private static final long DAY_2 = DAY_1 + 86_400_000L;
  private static final List<String> LABELS = List.of("setosa", "versicolor", "virginica");

  @TempDir Path dir;

  private final List<String> predictions = new ArrayList<>();
  private final List<String> lateLabels = new ArrayList<>();
  private int sequence;

  @BeforeEach
  void generate() {
    // Revision A: 150 predictions, all right, 50 of each label.
    for (int i = 0; i < 150; i++) {
      String label = LABELS.get(i % 3);
      String id = predict(A, DAY_1 + i, label, IRIS.card().modelSha256());
      label(id, DAY_1 + 3_600_000, label);
      if (i < 10) {
        predictions.add(predictions.get(predictions.size() - 1)); // delivered twice
      }
    }
    // Revision B: 90 right (30 of each label), 30 wrong (versicolor predicted as virginica),
    // 20 never labelled. Day 1: 60 right; day 2: 30 right, 30 wrong.
    for (int i = 0; i < 90; i++) {
      String label = LABELS.get(i % 3);
      String id = predict(B, (i < 60 ? DAY_1 : DAY_2) + i, label, IRIS.card().modelSha256());
      label(id, DAY_2 + 7_200_000, label);
    }
    for (int i = 0; i < 30; i++) {
      String id = predict(B, DAY_2 + 100 + i, "virginica", IRIS.card().modelSha256());
      if (i < 5) {
        // A label corrected later: the later one (the truth, versicolor) counts, whatever the
        // order of the lines.
        lateLabels.add(RecordLineWriter.feedback(DAY_2 + 9_000_000, id, "versicolor", B));
        lateLabels.add(RecordLineWriter.feedback(DAY_2 + 8_000_000, id, "virginica", B));
      } else {
        label(id, DAY_2 + 7_200_000, "versicolor");
      }
    }
    for (int i = 0; i < 20; i++) {
      predict(B, DAY_2 + 200 + i, "setosa", IRIS.card().modelSha256());
    }
    // Revision C: a model no card describes.
    for (int i = 0; i < 3; i++) {
      String id = predict(C, DAY_2 + 300 + i, "setosa", "f".repeat(64));
      label(id, DAY_2 + 7_200_000, "setosa");
    }
    // Labels for ids that were never recorded.
    for (int i = 0; i < 7; i++) {
      lateLabels.add(RecordLineWriter.feedback(DAY_2, UUID.randomUUID().toString(), "setosa", ""));
    }
  }

  /** A prediction of {@code label}: p = 0.8 for it, 0.1 for each other label. */
  private String predict(String revision, long millis, String label, String sha256) {
    String id =
        new UUID(0x0193a5f2_8e41_7000L | sequence, 0x8000_0000_0000_0000L | sequence++).toString();
    Map<String, Double> probabilities = new LinkedHashMap<>();
    for (String l : LABELS) {
      probabilities.put(l, l.equals(label) ? 0.8 : 0.1);
    }
    String line =
        RecordLineWriter.prediction(
            IRIS,
            millis,
            revision,
            id,
            label,
            probabilities,
            new double[] {5.1, 3.5, 1.4, 0.2},
            null);
    if (!sha256.equals(IRIS.card().modelSha256())) {
      line = line.replace(IRIS.card().modelSha256(), sha256);
    }
    predictions.add(line);
    return id;
  }

  private void label(String id, long millis, String label) {
    lateLabels.add(RecordLineWriter.feedback(millis, id, label, ""));
  }

  private record Run(int exit, String out, String err, JsonNode report) {}

  private Run evaluate(String... extra) throws Exception {
    // The service's stdout: records among its own log lines, plus one broken record.
    Path stdout = dir.resolve("stdout.jsonl");
    List<String> service = new ArrayList<>();
    service.add("{\"severity\":\"INFO\",\"message\":\"Model iris-sgd version 0.1.0 loaded\"}");
    service.addAll(lateLabels.subList(0, 40)); // some labels before their predictions
    service.addAll(predictions.subList(0, predictions.size() / 2));
    service.add("not json at all");
    service.add(
        "{\"severity\":\"INFO\",\"time\":\"2026-11-30T00:00:00Z\",\"record\":\"prediction\",\"prediction_id\":\"x\"}");
    Files.write(stdout, service);
    // A sink's files, in a directory: the other half of the predictions and the late labels.
    Path sink = dir.resolve("sink/run.googleapis.com/stdout/2026/12/01");
    Files.createDirectories(sink);
    List<String> entries = new ArrayList<>();
    predictions
        .subList(predictions.size() / 2, predictions.size())
        .forEach(l -> entries.add(RecordLineWriter.asSinkEntry(l)));
    Files.write(sink.resolve("00:00:00_00:59:59_S0.json"), entries);
    Files.write(
        sink.resolve("01:00:00_01:59:59_S0.json"),
        lateLabels.subList(40, lateLabels.size()).stream()
            .map(RecordLineWriter::asSinkEntry)
            .toList());

    Path report = dir.resolve("report/online.json");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input",
                stdout.toString(),
                "--input",
                dir.resolve("sink").toString(),
                "--report",
                report.toString()));
    args.addAll(List.of(extra));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        EvaluateCommand.run(
            args.toArray(String[]::new),
            Map.of(),
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        exit,
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8),
        Files.exists(report) ? Json.parse(Files.readString(report)) : null);
  }

  @Test
  void theDroppedRevisionsErrorLineIsTheOneItsAlertPolicyMatches() throws Exception {
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    Logger log = (Logger) LoggerFactory.getLogger(EvaluateCommand.class);
    log.addAppender(lines);
    try {
      evaluate();
    } finally {
      log.detachAppender(lines);
    }
    Matcher filter =
        Pattern.compile("jsonPayload\\.message =~ \"(.*)\"")
            .matcher(Files.readString(Path.of("cloudrun/alerts/online-accuracy.yaml")));
    assertTrue(filter.find(), "online-accuracy.yaml filters on the log line's message");
    Pattern alert = Pattern.compile(filter.group(1));
    List<String> matched =
        lines.list.stream()
            .filter(line -> alert.matcher(line.getFormattedMessage()).find())
            .map(line -> line.getLevel() + " " + line.getFormattedMessage())
            .toList();
    assertEquals(1, matched.size(), matched.toString());
    assertTrue(matched.get(0).startsWith("ERROR Online accuracy of revision " + B), matched.get(0));
    assertTrue(
        matched.get(0).contains("dropped to 0.7500 over 120 labelled predictions"), matched.get(0));
  }

  @Test
  void givesTheExactNumbersAndExitsTwoWhenARevisionDropped() throws Exception {
    Run run = evaluate();

    assertEquals(2, run.exit(), run.out() + run.err());
    JsonNode report = run.report();
    assertEquals(150 + 10 + 140 + 3, report.get("prediction_records").getLongValue());
    assertEquals(10, report.get("repeated_prediction_records").getLongValue());
    assertEquals(150 + 120 + 5 + 3 + 7, report.get("feedback_records").getLongValue());
    assertEquals(5, report.get("superseded_labels").getLongValue());
    assertEquals(7, report.get("unjoined_labels").getLongValue());
    assertEquals(1, report.get("invalid_lines").getLongValue());
    assertEquals(2, report.get("skipped_lines").getLongValue());

    JsonNode a = report.get("revisions").get(0);
    assertEquals(A, a.get("revision").getStringValue());
    assertEquals(150, a.get("predictions").getLongValue());
    assertEquals(150, a.get("labelled").getLongValue());
    assertEquals(1.0, a.get("accuracy").getDoubleValue(), 1e-12);
    assertEquals(1.0, a.get("macro_f1").getDoubleValue(), 1e-12);
    assertEquals(-Math.log(0.8), a.get("log_loss").getDoubleValue(), 1e-12);
    assertEquals(
        IRIS.card().evaluation().accuracy(), a.get("card").get("accuracy").getDoubleValue());
    assertEquals("ok", a.get("verdict").getStringValue());

    JsonNode b = report.get("revisions").get(1);
    assertEquals(B, b.get("revision").getStringValue());
    assertEquals(140, b.get("predictions").getLongValue());
    assertEquals(120, b.get("labelled").getLongValue());
    assertEquals(0.75, b.get("accuracy").getDoubleValue(), 1e-12);
    assertEquals(7.0 / 9, b.get("macro_f1").getDoubleValue(), 1e-12);
    assertEquals(
        (90 * -Math.log(0.8) + 30 * -Math.log(0.1)) / 120,
        b.get("log_loss").getDoubleValue(),
        1e-12);
    assertEquals("dropped", b.get("verdict").getStringValue());
    JsonNode days = b.get("days");
    assertEquals("2026-11-30", days.get(0).get("day").getStringValue());
    assertEquals(60, days.get(0).get("labelled").getLongValue());
    assertEquals(1.0, days.get(0).get("accuracy").getDoubleValue(), 1e-12);
    assertEquals("2026-12-01", days.get(1).get("day").getStringValue());
    assertEquals(80, days.get(1).get("predictions").getLongValue());
    assertEquals(60, days.get(1).get("labelled").getLongValue());
    assertEquals(0.5, days.get(1).get("accuracy").getDoubleValue(), 1e-12);

    JsonNode c = report.get("revisions").get(2);
    assertEquals(C, c.get("revision").getStringValue());
    assertEquals("no_card", c.get("verdict").getStringValue());
    assertEquals(3, report.get("revisions").size());

    assertTrue(run.out().contains("| " + B + " | 0.1.0 ("), run.out());
    assertTrue(run.out().contains("| 0.7500 |"), run.out());
    assertTrue(run.out().contains("accuracy dropped"), run.out());
    assertTrue(run.out().contains("stdout.jsonl:"), "the invalid line is located: " + run.out());
  }

  @Test
  void aRevisionWithTooFewLabelsIsReportedNotJudged() throws Exception {
    Run run = evaluate("--min-labelled", "130");

    assertEquals(0, run.exit(), run.out() + run.err());
    assertEquals(
        "too_few_labels", run.report().get("revisions").get(1).get("verdict").getStringValue());
    assertEquals("ok", run.report().get("revisions").get(0).get("verdict").getStringValue());
  }

  @Test
  void aLooserThresholdPasses() throws Exception {
    assertEquals(0, evaluate("--max-accuracy-drop", "0.3").exit());
  }

  @Test
  void mistakesExitOneWithWhatToFix() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    ByteArrayInputStream stdin = new ByteArrayInputStream(new byte[0]);

    assertEquals(1, EvaluateCommand.run(new String[] {}, Map.of(), stdin, out, errors));
    assertEquals(
        1,
        EvaluateCommand.run(
            new String[] {"--input", dir.resolve("missing").toString()},
            Map.of(),
            stdin,
            out,
            errors));
    assertEquals(
        1,
        EvaluateCommand.run(
            new String[] {"--input", "-", "--max-accuracy-drop", "2"},
            Map.of(),
            stdin,
            out,
            errors));
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("--input is required"), text);
    assertTrue(text.contains("does not exist"), text);
    assertTrue(text.contains("--max-accuracy-drop must be a number from 0.0 to 1.0"), text);
  }

  @Test
  void readsStdin() throws Exception {
    String lines = String.join("\n", predictions) + "\n" + String.join("\n", lateLabels) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        EvaluateCommand.run(
            new String[] {"--input", "-"},
            Map.of(),
            new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(2, exit, out.toString(StandardCharsets.UTF_8));
  }
}
