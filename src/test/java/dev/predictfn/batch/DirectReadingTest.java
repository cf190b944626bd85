package dev.predictfn.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.bundle.ModelCard;
import dev.predictfn.bundle.ModelCardJson;
import dev.predictfn.rows.Decimal;
import dev.predictfn.rows.FieldErrors;
import dev.predictfn.rows.RowReader;
import dev.predictfn.support.Bundles;
import dev.predictfn.support.JsonNumbers;
import dev.predictfn.training.TrainingFixtures;
import io.micronaut.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The score mode's fast paths ({@link CsvFastPath}, {@link JsonLinesFastPath}) change nothing but
 * speed: their numbers are {@code Double.parseDouble}'s bit for bit, a line they read gets the
 * general path's row and output line, and a task writes the same bytes with them as without,
 * rejects, drift and kill-free reruns included. On JDK 17 the output's probabilities come from
 * {@code Double.toString} either way; .ci/run runs this class on JDK 25 too, where the fast paths
 * write them with {@link dev.predictfn.rows.DecimalText}.
 */
class DirectReadingTest {
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  @TempDir Path dir;

  @Test
  void numbersAreParseDoublesBitForBitAndOnlyPlainDecimalsAreNumbers() {
    SplittableRandom random = new SplittableRandom(5);
    int numbers = 0;
    for (int n = 0; n < 300_000; n++) {
      String text = decimal(random);
      double parsed = Decimal.parse(text.getBytes(StandardCharsets.ISO_8859_1), 0, text.length());
      if (DECIMAL.matcher(text).matches()) {
        numbers++;
        assertEquals(
            Double.doubleToRawLongBits(Double.parseDouble(text)),
            Double.doubleToRawLongBits(parsed),
            text);
      } else {
        assertTrue(Double.isNaN(parsed), text + " is not a plain decimal, but read as " + parsed);
      }
    }
    assertTrue(numbers > 200_000, "plain decimals among them: " + numbers);
    // Around the short shape Decimal reads in its inlined body: 15 digits and a point at most.
    for (String text :
        List.of(
            "0",
            "0.0",
            "5.",
            ".5",
            "007.250",
            "123456789012345",
            "1234567890123456",
            "12345678.1234567",
            "1234567.12345678",
            ".123456789012345",
            ".1234567890123456",
            "123456789012345.",
            "999999999999999.9",
            "0.000000000000001",
            "9007199254740993",
            "0.30000000000000004")) {
      assertEquals(
          Double.doubleToRawLongBits(Double.parseDouble(text)),
          Double.doubleToRawLongBits(
              Decimal.parse(text.getBytes(StandardCharsets.ISO_8859_1), 0, text.length())),
          text);
    }
    for (String text :
        List.of(
            "",
            ".",
            "+",
            "-",
            "e5",
            "1e",
            "1e+",
            "1.2.3",
            " 1",
            "1 ",
            "0x10",
            "NaN",
            "Infinity",
            "1d",
            "1f",
            "--1",
            "1,5")) {
      assertTrue(
          Double.isNaN(Decimal.parse(text.getBytes(StandardCharsets.ISO_8859_1), 0, text.length())),
          text);
    }
  }

  @Test
  void aLineReadDirectlyGetsTheGeneralPathsRowAndKeptText() throws Exception {
    InputSchema iris = Bundles.readBuiltIn().schema();
    String irisHeader = "id,sepal_length,sepal_width,petal_length,petal_width,note";
    compareLines(iris, irisHeader, "id", 6);
    compareLines(iris, irisHeader, null, 7);

    InputSchema churn = InputSchema.of(churnCard());
    String churnHeader = "customer," + String.join(",", churn.names());
    compareLines(churn, churnHeader, "customer", 8);
  }

  @Test
  void aTaskWritesTheSameBytesWithTheFastPathAsWithout() throws Exception {
    Path input = dir.resolve("mixed.csv");
    SplittableRandom random = new SplittableRandom(9);
    StringBuilder csv =
        new StringBuilder("id,sepal_length,sepal_width,petal_length,petal_width,note\n");
    for (int i = 0; i < 20_000; i++) {
      csv.append(irisLine(random, i)).append(random.nextInt(50) == 0 ? "\r\n" : "\n");
    }
    Files.writeString(input, csv);
    assertTheSameFilesWithTheFastPathAsWithout(input);
  }

  @Test
  void aJsonLinesTaskWritesTheSameBytesWithTheFastPathAsWithout() throws Exception {
    InputSchema iris = Bundles.readBuiltIn().schema();
    Path input = dir.resolve("mixed.jsonl");
    SplittableRandom random = new SplittableRandom(10);
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      lines.append(jsonLine(random, iris, "id")).append(random.nextInt(50) == 0 ? "\r\n" : "\n");
    }
    Files.writeString(input, lines);
    assertTheSameFilesWithTheFastPathAsWithout(input);
  }

  /** By 1 and 3 tasks, with and without --id: every file the same with the fast path as without. */
  private void assertTheSameFilesWithTheFastPathAsWithout(Path input) throws Exception {
    for (String id : new String[] {null, "id"}) {
      for (int tasks : new int[] {1, 3}) {
        Map<String, byte[]> fast = score(input, id, tasks, true);
        Map<String, byte[]> general = score(input, id, tasks, false);
        assertEquals(general.keySet(), fast.keySet());
        for (String name : general.keySet()) {
          assertArrayEquals(general.get(name), fast.get(name), name + " with --id " + id);
        }
      }
    }
  }

  @Test
  void aJsonLineReadDirectlyGetsTheGeneralPathsRowAndOutputLine() throws Exception {
    InputSchema iris = Bundles.readBuiltIn().schema();
    compareJsonLines(iris, "id", 16);
    compareJsonLines(iris, null, 17);
    InputSchema churn = InputSchema.of(churnCard());
    compareJsonLines(churn, "customer", 18);
    compareJsonLines(churn, null, 19);
  }

  private static void compareJsonLines(InputSchema schema, String id, long seed) throws Exception {
    List<String> labels = List.of("a", "b\u00e9", "c\"d");
    JsonLinesRows general = new JsonLinesRows(JsonMapper.createDefault(), schema, id, labels);
    SplittableRandom random = new SplittableRandom(seed);
    List<String> lines = new ArrayList<>();
    for (int n = 0; n < 20_000; n++) {
      lines.add(jsonLine(random, schema, id == null ? "key" : id));
    }
    compareDirectReading(general, schema, lines, labels);
  }

  /**
   * Each line the fast path reads gets the general path's row, bit for bit, and the general path's
   * output line, byte for byte; it reads a good share of them, and leaves a good share alone.
   */
  private static void compareDirectReading(
      RowFormat general, InputSchema schema, List<String> lines, List<String> labels)
      throws Exception {
    FastPath fast = general.fastPath();
    RowReader validator = new RowReader(schema);
    double[] probabilities = {0.25, 1.0E-5, 0.7499899999999999};
    int direct = 0;
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      double[] row = new double[schema.size()];
      if (!fast.read(bytes, bytes.length, row)) {
        continue;
      }
      direct++;
      assertTrue(!line.isBlank(), "a blank line is no row: \"" + line + "\"");
      RowFormat.Parsed parsed;
      try {
        parsed = general.parse(line);
      } catch (BadRowException e) {
        throw new AssertionError("read directly, yet the general path refuses " + line, e);
      }
      FieldErrors errors = new FieldErrors();
      double[] expected = validator.row(parsed.features(), "row", "#", errors);
      assertTrue(errors.isEmpty(), () -> line + ": " + errors.summary());
      for (int f = 0; f < row.length; f++) {
        assertEquals(
            Double.doubleToRawLongBits(expected[f]), Double.doubleToRawLongBits(row[f]), line);
      }
      String label = labels.get(n % labels.size());
      StringBuilder written = new StringBuilder();
      general.write(written, parsed, label, probabilities);
      ByteArrayOutputStream bytesOut = new ByteArrayOutputStream();
      try (PartOutput out = new PartOutput(bytesOut)) {
        out.write(fast.keptPrefix(), 0, fast.keptPrefix().length);
        out.write(bytes, fast.keptStart(), fast.keptEnd() - fast.keptStart());
        fast.writePrediction(out, label, probabilities, new StringBuilder());
      }
      assertEquals(written + "\n", bytesOut.toString(StandardCharsets.UTF_8), line);
    }
    assertTrue(
        direct > lines.size() / 20, "lines read directly: " + direct + " of " + lines.size());
    assertTrue(direct < lines.size() * 9 / 10, "lines left alone: " + (lines.size() - direct));
  }

  /**
   * A JSON Lines line for {@code schema}, with an {@code idKey}: mostly good, in any key order and
   * spacing, sometimes odd in one of many ways.
   */
  private static String jsonLine(SplittableRandom random, InputSchema schema, String idKey) {
    switch (random.nextInt(60)) {
      case 0 -> {
        return List.of("", " ", "{}", "[]", "null", "{", "{\"a\":1}}", "\t").get(random.nextInt(8));
      }
      case 1 -> {
        return "[" + decimal(random) + "]";
      }
      default -> {}
    }
    List<String> pairs = new ArrayList<>();
    for (int f = 0; f < schema.size(); f++) {
      if (random.nextInt(80) == 0) {
        continue; // missing
      }
      String value;
      if (schema.isCategorical(f)) {
        List<String> known = schema.categories(f);
        value =
            random.nextInt(10) == 0
                ? List.of("\"unseen\"", "\"\"", "3", "null", "\"\\u0041\"", "\"Ünseen\"")
                    .get(random.nextInt(6))
                : "\"" + known.get(random.nextInt(known.size())) + "\"";
      } else {
        value = random.nextInt(8) == 0 ? oddJsonNumber(random) : JsonNumbers.random(random);
      }
      pairs.add(key(schema.names().get(f), random) + value);
      if (random.nextInt(100) == 0) {
        pairs.add(key(schema.names().get(f), random) + JsonNumbers.random(random)); // twice
      }
    }
    if (random.nextInt(20) != 0) {
      String idValue =
          switch (random.nextInt(12)) {
            case 0 -> "-0";
            case 1 -> "1.50";
            case 2 -> "12345678901234567890";
            case 3 -> "null";
            case 4 -> "\"a\\\"b\"";
            case 5 -> "\"é\"";
            case 6 -> "[1]";
            case 7 -> Long.toString(random.nextLong());
            default ->
                random.nextBoolean()
                    ? Integer.toString(random.nextInt(1_000_000))
                    : "\"r-" + random.nextInt(1000) + "\"";
          };
      pairs.add(key(idKey, random) + idValue);
      if (random.nextInt(100) == 0) {
        pairs.add(key(idKey, random) + "7");
      }
    }
    if (random.nextInt(4) == 0) {
      String other =
          List.of("\"x\"", "1", "true", "false", "null", "{\"n\":1}", "[1,2]", "\"é\"", "tru", "1.")
              .get(random.nextInt(10));
      pairs.add(key(random.nextBoolean() ? "note" : "extra", random) + other);
      if (random.nextInt(10) == 0) {
        pairs.add(key("note", random) + "2");
      }
    }
    java.util.Collections.shuffle(pairs, new java.util.Random(random.nextLong()));
    String space = List.of("", "", "", " ", "\t").get(random.nextInt(5));
    String line = "{" + space + String.join("," + space, pairs) + space + "}";
    return switch (random.nextInt(40)) {
      case 0 -> "  " + line;
      case 1 -> line + " \t";
      case 2 -> line + " x";
      case 3 -> line.replace(":", " : ");
      default -> line;
    };
  }

  private static String key(String name, SplittableRandom random) {
    return random.nextInt(200) == 0 ? "\"" + name + " \":" : "\"" + name + "\":";
  }

  private static String oddJsonNumber(SplittableRandom random) {
    return List.of(
            "01", "1.", ".5", "+1", "-", "1e", "NaN", "1e400", "-0", "-0.0", "0", "\"5.1\"", "null",
            "true", "5.1.2", "0x10", "1E+2", "-1e-400")
        .get(random.nextInt(18));
  }

  /** Every file a run writes, by name; summaries without their timings. */
  private Map<String, byte[]> score(Path input, String id, int tasks, boolean direct)
      throws Exception {
    Path output = dir.resolve("out-" + id + "-" + tasks + "-" + direct);
    for (int task = 0; task < tasks; task++) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--input", input.toString(),
                  "--output", output.toString(),
                  "--task-index", Integer.toString(task),
                  "--task-count", Integer.toString(tasks),
                  "--split-bytes", "100000"));
      if (id != null) {
        args.addAll(List.of("--id", id));
      }
      ScoreOptions options = ScoreOptions.parse(args.toArray(String[]::new), Map.of());
      assertEquals(0, new ScoreTask(options, direct).run());
    }
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(output)) {
      for (Path file : list.toList()) {
        String name = file.getFileName().toString();
        String text = Files.readString(file);
        files.put(
            name,
            name.startsWith("summary")
                ? text.replaceAll("\"seconds\":[^,]*,\"rows_per_second\":\\d+", "")
                    .getBytes(StandardCharsets.UTF_8)
                : Files.readAllBytes(file));
      }
    }
    assertTrue(files.size() >= 4 * tasks, files.keySet().toString());
    return files;
  }

  private static ModelCard churnCard() throws Exception {
    return new ModelCardJson()
        .read(
            Files.readAllBytes(
                TrainingFixtures.CHURN_SPEC.resolveSibling("reference/churn-sgd.model-card.json")));
  }

  private static void compareLines(InputSchema schema, String header, String id, long seed)
      throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> columns = CsvRows.split(header);
    List<String> lines = new ArrayList<>();
    for (int n = 0; n < 20_000; n++) {
      lines.add(line(random, schema, columns));
    }
    List<String> labels = List.of("a", "b\u00e9", "c\"d");
    compareDirectReading(new CsvRows(header, schema, id, labels), schema, lines, labels);
  }

  /** A CSV line for {@code columns}: mostly good, sometimes odd in one of many ways. */
  private static String line(SplittableRandom random, InputSchema schema, List<String> columns) {
    if (random.nextInt(40) == 0) {
      return List.of("", " ", "  ", "\t").get(random.nextInt(4));
    }
    List<String> fields = new ArrayList<>();
    for (String column : columns) {
      int f = schema.indexOf(column);
      if (f < 0) {
        fields.add(List.of("7", "a b", "x\"y", "\"q,r\"", "é", "", " ").get(random.nextInt(7)));
      } else if (schema.isCategorical(f)) {
        List<String> known = schema.categories(f);
        fields.add(
            random.nextInt(8) == 0
                ? List.of("unseen", "", " " + known.get(0), "Ünseen").get(random.nextInt(4))
                : known.get(random.nextInt(known.size())));
      } else {
        fields.add(random.nextInt(6) == 0 ? oddNumber(random) : decimal(random));
      }
    }
    if (random.nextInt(30) == 0) {
      fields.remove(fields.size() - 1);
    } else if (random.nextInt(30) == 0) {
      fields.add("extra");
    }
    return String.join(",", fields);
  }

  private static String irisLine(SplittableRandom random, int i) {
    String id = random.nextInt(100) == 0 ? "\"id " + i + ", quoted\"" : Integer.toString(i);
    String values =
        switch (random.nextInt(60)) {
          case 0 -> "1.7e308,1.7e308,1.7e308,1.7e308"; // overflows: rejected at scoring
          case 1 -> "abc,3.5,1.4,0.2";
          case 2 -> "5.1,,1.4,0.2";
          case 3 -> "5.1,3.5,1.4";
          case 4 -> "5.1,3.5,1.4,1e400";
          default ->
              String.format(
                  Locale.ROOT,
                  "%s,%s,%s,%s",
                  decimal(random),
                  decimal(random),
                  decimal(random),
                  decimal(random));
        };
    String note = random.nextInt(20) == 0 ? "\"a, b\"" : random.nextInt(40) == 0 ? "é" : "n";
    return random.nextInt(200) == 0 ? "" : id + "," + values + "," + note;
  }

  /** A number as CSV files spell them, in many ways. */
  private static String decimal(SplittableRandom random) {
    StringBuilder text = new StringBuilder();
    switch (random.nextInt(10)) {
      case 0 -> text.append('-');
      case 1 -> text.append('+');
      default -> {}
    }
    int whole = random.nextInt(6) == 0 ? random.nextInt(22) : random.nextInt(3);
    for (int i = 0; i < whole; i++) {
      text.append(i == 0 && random.nextInt(4) == 0 ? '0' : (char) ('0' + random.nextInt(10)));
    }
    if (random.nextInt(4) != 0) {
      text.append('.');
      int fraction = random.nextInt(6) == 0 ? random.nextInt(25) : random.nextInt(4);
      for (int i = 0; i < fraction; i++) {
        text.append((char) ('0' + random.nextInt(10)));
      }
    }
    if (random.nextInt(5) == 0) {
      text.append(random.nextBoolean() ? 'e' : 'E');
      switch (random.nextInt(3)) {
        case 0 -> text.append('-');
        case 1 -> text.append('+');
        default -> {}
      }
      text.append(random.nextInt(4) == 0 ? random.nextInt(400) : random.nextInt(30));
    }
    return text.toString();
  }

  private static String oddNumber(SplittableRandom random) {
    return List.of("", " 5.1", "5.1 ", "NaN", "Infinity", "0x1p3", "1e400", "-1e-400", "5,1", "1d")
        .get(random.nextInt(10));
  }
}
