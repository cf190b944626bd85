package dev.predictfn.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The writer loses nothing: not under concurrent producers, not at close, not after it. */
class RecordWriterTest {
  private static List<String> ids(ByteArrayOutputStream out) {
    List<String> ids = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isEmpty()) {
        ids.add(line.replaceFirst(".*\"prediction_id\":\"([^\"]+)\".*", "$1"));
      }
    }
    return ids;
  }

  private static FeedbackRecord record(int n) {
    return new FeedbackRecord(0, "id-" + n, "setosa", "", null);
  }

  @Test
  void everyRecordOfConcurrentProducersIsWrittenOnceWholeLinesByClose() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RecordWriter writer = new RecordWriter(out);
    ExecutorService producers = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      int first = p * 25_000;
      done.add(
          producers.submit(
              () -> {
                for (int i = first; i < first + 25_000; i++) {
                  writer.add(record(i));
                }
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    producers.shutdown();
    writer.close();

    List<String> ids = ids(out);
    assertEquals(100_000, ids.size(), "more records than the queue holds, all written");
    assertEquals(100_000, ids.stream().distinct().count());
    assertEquals(100_000, writer.written());
  }

  @Test
  void aRecordAddedAfterCloseIsWrittenByItsCaller() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RecordWriter writer = new RecordWriter(out);
    writer.add(record(1));
    writer.close();
    writer.add(record(2));

    assertEquals(List.of("id-1", "id-2"), ids(out));
  }
}
