package dev.predictfn.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.support.Json;
import io.micronaut.json.tree.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's {@code score} mode as a Cloud Run job runs it: tasks as separate processes told their
 * index and count through {@code CLOUD_RUN_TASK_INDEX} and {@code CLOUD_RUN_TASK_COUNT}, files and
 * byte ranges shared out so that the union of the tasks' outputs is every input row exactly once, a
 * killed task rerun to the same bytes, bad rows in the rejects file with the API's words, and
 * memory bounded whatever the input's size.
 */
class BatchScoringTest {
  private static final String HEADER = "id,sepal_length,sepal_width,petal_length,petal_width,note";
  private static final String[] SPECIES = {"5.1,3.5,1.4,0.2", "5.9,3.0,4.2,1.5", "6.7,3.0,5.2,2.3"};

  @TempDir Path dir;

  /** Writes {@code rows} good rows (ids 0..rows-1) with a quoted comma in the last column. */
  private Path csv(String name, int rows) throws IOException {
    Path file = dir.resolve(name);
    try (Writer out = Files.newBufferedWriter(file)) {
      out.write(HEADER + "\n");
      for (int i = 0; i < rows; i++) {
        out.write(i + "," + SPECIES[i % 3] + ",\"row " + i + ", fine\"\n");
      }
    }
    return file;
  }

  private record Run(int status, String out) {}

  private static Run inProcess(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status =
        ScoreCommand.run(args, Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return new Run(status, bytes.toString(StandardCharsets.UTF_8));
  }

  /** A task as its own JVM, as Cloud Run starts it: index and count from the environment. */
  private static Process task(int index, int count, List<String> jvm, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.predictfn.Application");
    command.add("score");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("CLOUD_RUN_TASK_INDEX", Integer.toString(index));
    builder.environment().put("CLOUD_RUN_TASK_COUNT", Integer.toString(count));
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    return builder.start();
  }

  private static int await(Process process) throws InterruptedException {
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the task finished within 120 s");
    return process.exitValue();
  }

  private static List<String> dataLines(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    return lines.subList(1, lines.size());
  }

  private static JsonNode summary(Path output, int index, int count) throws IOException {
    return Json.parse(
        Files.readString(output.resolve(String.format("summary-%05d-of-%05d.json", index, count))));
  }

  @Test
  void threeTasksAsThreeProcessesScoreEveryRowOnceLikeOneTask() throws Exception {
    Path input = csv("rows.csv", 30_000);
    Path one = dir.resolve("one");
    Path three = dir.resolve("three");
    // About 1 MB cut into pieces of about 100 kB: every task gets byte ranges of the one file.
    String split = "100000";
    assertEquals(
        0,
        inProcess("--input", input.toString(), "--output", one.toString(), "--split-bytes", split)
            .status());

    List<Process> tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tasks.add(
          task(
              i,
              3,
              List.of(),
              "--input",
              input.toString(),
              "--output",
              three.toString(),
              "--split-bytes",
              split));
    }
    for (Process p : tasks) {
      assertEquals(0, await(p));
    }

    List<String> whole = dataLines(one.resolve("part-00000-of-00001.csv"));
    assertEquals(30_000, whole.size());
    Map<String, Integer> seen = new HashMap<>();
    List<String> union = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path part = three.resolve(String.format("part-%05d-of-00003.csv", i));
      assertEquals(
          Files.readAllLines(one.resolve("part-00000-of-00001.csv")).get(0),
          Files.readAllLines(part).get(0),
          "every part has the same header");
      List<String> lines = dataLines(part);
      assertFalse(lines.isEmpty(), "task " + i + " had a share");
      assertTrue(summary(three, i, 3).get("pieces").getIntValue() >= 3, "byte ranges were shared");
      for (String line : lines) {
        seen.merge(line.substring(0, line.indexOf(',')), 1, Integer::sum);
      }
      union.addAll(lines);
    }
    assertEquals(30_000, seen.size(), "every id appears");
    assertTrue(seen.values().stream().allMatch(n -> n == 1), "and only once");
    assertEquals(new TreeMap<>(count(whole)), new TreeMap<>(count(union)));
    assertTrue(
        whole.get(1).startsWith("1,5.9,3.0,4.2,1.5,\"row 1, fine\",versicolor,"), whole.get(1));
  }

  private static Map<String, Integer> count(List<String> lines) {
    Map<String, Integer> counts = new HashMap<>();
    lines.forEach(l -> counts.merge(l, 1, Integer::sum));
    return counts;
  }

  @Test
  void aTaskKilledMidwayPublishesNothingAndItsRerunWritesTheSameBytes() throws Exception {
    Path input = csv("big.csv", 1_500_000);
    Path reference = dir.resolve("reference");
    assertEquals(
        0, inProcess("--input", input.toString(), "--output", reference.toString()).status());

    Path output = dir.resolve("killed");
    Process doomed =
        task(0, 1, List.of(), "--input", input.toString(), "--output", output.toString());
    Path temporary = output.resolve(".part-00000-of-00001.csv.tmp");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!(Files.exists(temporary) && Files.size(temporary) > 1_000_000)) {
      assertTrue(doomed.isAlive(), "the task was still running when it was killed");
      assertTrue(System.nanoTime() < deadline, "the task started writing within 60 s");
      Thread.sleep(20);
    }
    doomed.destroyForcibly();
    assertTrue(doomed.waitFor(30, TimeUnit.SECONDS));
    assertFalse(
        Files.exists(output.resolve("part-00000-of-00001.csv")), "a killed task publishes nothing");

    assertEquals(
        0,
        await(task(0, 1, List.of(), "--input", input.toString(), "--output", output.toString())));
    for (String name :
        List.of(
            "part-00000-of-00001.csv",
            "rejects-00000-of-00001.jsonl",
            "drift-00000-of-00001.json")) {
      assertArrayEquals(
          Files.readAllBytes(reference.resolve(name)),
          Files.readAllBytes(output.resolve(name)),
          name);
    }
    assertFalse(Files.exists(temporary), "the rerun replaced the temporary file");
  }

  @Test
  void badRowsGoToTheRejectsFileWithTheirLineAndTheApisWords() throws Exception {
    Path input = dir.resolve("bad.csv");
    Files.writeString(
        input,
        HEADER
            + "\n0,5.1,3.5,1.4,0.2,ok\n"
            + "1,abc,3.5,1.4,0.2,x\n" // line 3
            + "2,5.1,3.5\n" // line 4
            + "3,5.1,,1.4,0.2,x\n" // line 5
            + "4,5.1,3.5,1.4,1e400,x\n" // line 6
            + "5,1.7e308,1.7e308,1.7e308,1.7e308,x\n" // line 7
            + "6,\"5.1,3.5,1.4,0.2,x\n" // line 8
            + "\n"
            + "7,6.7,3.0,5.2,2.3,ok\n");
    Path output = dir.resolve("out");
    // Two tasks, pieces of 60 bytes: most bad rows lie in pieces that start mid-file, so their
    // line numbers are counted from the file's start.
    for (int i = 0; i < 2; i++) {
      assertEquals(
          0,
          inProcess(
                  "--input",
                  input.toString(),
                  "--output",
                  output.toString(),
                  "--task-index",
                  Integer.toString(i),
                  "--task-count",
                  "2",
                  "--split-bytes",
                  "60")
              .status());
    }
    Map<Long, String> rejects = new TreeMap<>();
    List<String> scored = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      for (String line :
          Files.readAllLines(output.resolve(String.format("rejects-%05d-of-00002.jsonl", i)))) {
        JsonNode reject = Json.parse(line);
        assertEquals(input.toString(), reject.get("file").getStringValue());
        rejects.put(reject.get("line").getLongValue(), reject.get("detail").getStringValue());
      }
      scored.addAll(dataLines(output.resolve(String.format("part-%05d-of-00002.csv", i))));
    }
    String overflow = rejects.remove(7L);
    assertTrue(overflow != null && overflow.startsWith("The values are too large"), overflow);
    assertEquals(
        Map.of(
            3L, "row.sepal_length must be a finite number, but it is the string \"abc\".",
            4L, "the line has 3 fields but the header has 6.",
            5L, "row.sepal_width must be a finite number, but it is null.",
            6L, "row.petal_width must be a finite number, but it is a number out of range.",
            8L, "a quoted field is not closed on its line."),
        rejects);
    assertEquals(2, scored.size(), scored.toString());
    long read = 0;
    for (int i = 0; i < 2; i++) {
      read += summary(output, i, 2).get("rows_read").getLongValue();
    }
    assertEquals(8, read, "blank lines are not rows");
  }

  @Test
  void aTaskWithoutAShareWritesAnEmptyPartAndSucceeds() throws Exception {
    Path input = csv("small.csv", 10);
    Path output = dir.resolve("out");
    Run run =
        inProcess(
            "--input",
            input.toString(),
            "--output",
            output.toString(),
            "--task-index",
            "3",
            "--task-count",
            "4");
    assertEquals(0, run.status());
    assertEquals(
        List.of(
            HEADER + ",prediction,probability_setosa,probability_versicolor,probability_virginica"),
        Files.readAllLines(output.resolve("part-00003-of-00004.csv")));
    assertEquals("", Files.readString(output.resolve("rejects-00003-of-00004.jsonl")));
    assertEquals(0, summary(output, 3, 4).get("rows_read").getIntValue());
  }

  /**
   * 64 MB of input through a task whose heap is capped at 32 MiB: anything that kept rows would
   * need several times that.
   */
  @Test
  void memoryStaysBoundedWhateverTheInputsSize() throws Exception {
    Path input = csv("large.csv", 1_700_000);
    assertTrue(Files.size(input) > 64_000_000, Files.size(input) + " bytes");
    Path output = dir.resolve("out");
    assertEquals(
        0,
        await(
            task(
                0,
                1,
                List.of("-Xmx32m", "-XX:+UseSerialGC"),
                "--input",
                input.toString(),
                "--output",
                output.toString(),
                "--id",
                "id")));
    assertEquals(1_700_000, summary(output, 0, 1).get("rows_scored").getIntValue());
  }

  @Test
  void jsonLinesKeepTheInputObjectOrOnlyTheId() throws Exception {
    Path input = dir.resolve("rows.jsonl");
    Files.writeString(
        input,
        "{\"id\": \"a\", \"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4,"
            + " \"petal_width\": 0.2}\n"
            + "{\"id\":\"b\",\"sepal_length\":6.7,\"sepal_width\":3.0,\"petal_length\":5.2}\n"
            + "[5.1,3.5,1.4,0.2]\n"
            + "{\"id\":\"c\",\"sepal_length\":6.7,\"sepal_width\":3.0,\"petal_length\":5.2,"
            + "\"petal_width\":2.3} x\n");
    Path whole = dir.resolve("whole");
    assertEquals(0, inProcess("--input", input.toString(), "--output", whole.toString()).status());
    List<String> lines = Files.readAllLines(whole.resolve("part-00000-of-00001.jsonl"));
    assertEquals(1, lines.size(), lines.toString());
    JsonNode row = Json.parse(lines.get(0));
    assertEquals("a", row.get("id").getStringValue());
    assertEquals(5.1, row.get("sepal_length").getDoubleValue());
    assertEquals("setosa", row.get("prediction").getStringValue());
    assertEquals(3, row.get("probabilities").size());
    List<String> rejects = Files.readAllLines(whole.resolve("rejects-00000-of-00001.jsonl"));
    assertEquals(3, rejects.size());
    assertEquals(
        "row is missing feature \"petal_width\".",
        Json.parse(rejects.get(0)).get("detail").getStringValue());
    assertTrue(
        Json.parse(rejects.get(1)).get("detail").getStringValue().startsWith("a line must be one"));
    assertTrue(
        Json.parse(rejects.get(2)).get("detail").getStringValue().contains("more data follows"));

    Path ids = dir.resolve("ids");
    assertEquals(
        0,
        inProcess("--input", input.toString(), "--output", ids.toString(), "--id", "id").status());
    JsonNode kept = Json.parse(Files.readAllLines(ids.resolve("part-00000-of-00001.jsonl")).get(0));
    assertEquals(3, kept.size(), "id, prediction, probabilities");
    assertEquals("a", kept.get("id").getStringValue());
  }

  @Test
  void theDriftReportIsTheOfflineChecksVerdict() throws Exception {
    Path output = dir.resolve("v1");
    assertEquals(
        0,
        inProcess("--input", "src/main/training/data/iris/v1.csv", "--output", output.toString())
            .status());
    JsonNode v1 = Json.parse(Files.readString(output.resolve("drift-00000-of-00001.json")));
    assertEquals(150, v1.get("rows").getIntValue());
    assertFalse(v1.get("drifted").getBooleanValue(), v1.toString());

    Path shifted = dir.resolve("v2");
    assertEquals(
        0,
        inProcess("--input", "src/main/training/data/iris/v2.csv", "--output", shifted.toString())
            .status());
    JsonNode v2 = Json.parse(Files.readString(shifted.resolve("drift-00000-of-00001.json")));
    assertTrue(v2.get("drifted").getBooleanValue(), v2.toString());
    for (JsonNode feature : v2.get("features").values()) {
      assertEquals(
          feature.get("name").getStringValue().equals("petal_length"),
          feature.get("drifted").getBooleanValue(),
          feature.toString());
    }
  }

  @Test
  void directoriesAndGlobsShareTheirFilesInNameOrder() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.copy(csv("a.csv", 5), in.resolve("a.csv"));
    Files.copy(csv("b.csv", 7), in.resolve("b.csv"));
    Files.writeString(in.resolve("notes.txt"), "not data");
    // A spreadsheet's export: a byte order mark before the header, CRLF line ends.
    Files.writeString(in.resolve("c.csv"), "\uFEFF" + HEADER + "\r\n99,5.1,3.5,1.4,0.2,x\r\n");
    for (String spec : List.of(in.toString(), in + "/*.csv")) {
      Path output = dir.resolve("out-" + spec.hashCode());
      for (int i = 0; i < 2; i++) {
        assertEquals(
            0,
            inProcess(
                    "--input",
                    spec,
                    "--output",
                    output.toString(),
                    "--task-index",
                    Integer.toString(i),
                    "--task-count",
                    "2")
                .status());
      }
      // a.csv and c.csv to task 0, b.csv to task 1.
      List<String> first = dataLines(output.resolve("part-00000-of-00002.csv"));
      assertEquals(6, first.size(), spec);
      assertTrue(first.get(5).startsWith("99,5.1,3.5,1.4,0.2,x,setosa,"), first.get(5));
      assertEquals(7, dataLines(output.resolve("part-00001-of-00002.csv")).size(), spec);
      try (Stream<Path> files = Files.list(output)) {
        assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")));
      }
    }
  }

  @Test
  void mistakesNoRetryCanFixExit2AndHelpExits0() throws Exception {
    Path good = csv("good.csv", 3);
    Path other = dir.resolve("other.csv");
    Files.writeString(other, "id,sepal_length\n1,5.1\n");
    Path mixed = Files.createDirectories(dir.resolve("mixed"));
    Files.copy(good, mixed.resolve("a.csv"));
    Files.writeString(mixed.resolve("b.jsonl"), "{}\n");
    Path headers = Files.createDirectories(dir.resolve("headers"));
    Files.copy(good, headers.resolve("a.csv"));
    Files.writeString(
        headers.resolve("b.csv"), "sepal_length,sepal_width,petal_length,petal_width\n");
    String out = dir.resolve("out").toString();
    String[][] cases = {
      {"--output", out},
      {"--input", good.toString(), "--output", out, "--task-index", "2", "--task-count", "2"},
      {"--input", good.toString(), "--output", out, "--task-count", "0"},
      {"--input", dir.resolve("missing.csv").toString(), "--output", out},
      {"--input", other.toString(), "--output", out},
      {"--input", good.toString(), "--output", out, "--id", "key"},
      {"--input", mixed.toString(), "--output", out},
      {"--input", headers.toString(), "--output", out},
      {"--input", good.toString(), "--output", out, "--color", "red"},
    };
    for (String[] args : cases) {
      assertEquals(2, inProcess(args).status(), String.join(" ", args));
    }
    Run help = inProcess("--help");
    assertEquals(0, help.status());
    assertTrue(help.out().startsWith("usage: score --input"), help.out());
  }
}
