package dev.predictfn.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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

  private static RecordBytes record(int n) {
    RecordBytes line = new RecordBytes(256);
    RecordJson.appendFeedback(line, 0, "id-" + n, "setosa", "", null);
    return line;
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
                  writer.add(record(i), 1);
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
  void aLargeBatchReachesTheStreamInSlicesThatAddUpToItsBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<Integer> writes = new ArrayList<>();
    OutputStream out =
        new OutputStream() {
          @Override
          public void write(int b) {
            throw new AssertionError("records are written as arrays");
          }

          @Override
          public void write(byte[] b, int off, int len) {
            writes.add(len);
            bytes.write(b, off, len);
          }
        };
    RecordWriter writer = new RecordWriter(out);
    RecordBytes batch = new RecordBytes(256);
    RecordBytes expected = new RecordBytes(256);
    for (int i = 0; i < 5_000; i++) { // several slices' worth of lines in one chunk
      batch.append(record(i));
      expected.append(record(i));
    }
    writer.add(batch, 5_000);
    writer.close();

    assertEquals(expected.toString(), bytes.toString(StandardCharsets.UTF_8));
    assertTrue(writes.size() > 1, () -> "one write of " + expected.size() + " bytes");
    for (int len : writes) {
      assertTrue(len <= RecordBytes.WRITE_SLICE, () -> "a write of " + len + " bytes");
    }
  }

  @Test
  void producersWaitingForRoomWhenCloseBeginsStillGetEveryRecordOut() throws Exception {
    CountDownLatch opened = new CountDownLatch(1);
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    OutputStream stuck =
        new OutputStream() {
          @Override
          public void write(int b) {
            written.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            try {
              opened.await();
            } catch (InterruptedException e) {
              throw new InterruptedIOException();
            }
            written.write(b, off, len);
          }
        };
    RecordWriter writer = new RecordWriter(stuck);
    // Chunks of 1,000 records (~120 kB): four producers queue well past the writer's capacity.
    int chunks = 40;
    ExecutorService producers = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      int first = p * chunks * 1_000;
      done.add(
          producers.submit(
              () -> {
                for (int c = 0; c < chunks; c++) {
                  RecordBytes lines = new RecordBytes(1 << 17);
                  for (int i = 0; i < 1_000; i++) {
                    lines.append(record(first + c * 1_000 + i));
                  }
                  writer.add(lines, 1_000);
                }
              }));
    }
    Thread.sleep(200);
    Thread closing = new Thread(writer::close);
    closing.start();
    Thread.sleep(100);
    opened.countDown();
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          for (Future<?> f : done) {
            f.get();
          }
          closing.join();
        },
        "no producer waits forever for room once the stream moves again");
    producers.shutdown();

    List<String> ids = ids(written);
    assertEquals(160_000, ids.size());
    assertEquals(160_000, ids.stream().distinct().count());
    assertEquals(160_000, writer.written());
  }

  @Test
  void aRecordAddedAfterCloseIsWrittenByItsCaller() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RecordWriter writer = new RecordWriter(out);
    writer.add(record(1), 1);
    writer.close();
    writer.add(record(2), 1);

    assertEquals(List.of("id-1", "id-2"), ids(out));
  }
}
