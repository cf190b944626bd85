package dev.predictfn.records;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records off the request path: callers only queue them; one thread turns whatever has
 * queued within {@value #LINGER_MILLIS} ms of the first into JSON lines and writes them with one
 * call. Under load a write carries many records; when traffic is light a record is written within
 * {@value #LINGER_MILLIS} ms.
 *
 * <p>Nothing is dropped. The queue holds at most {@value #CAPACITY} records; a caller that finds it
 * full waits for room (a stdout that cannot keep up slows requests rather than losing records).
 * {@link #close} writes every queued record before it returns, and a record queued after that is
 * written by its caller, so records of requests finishing during a SIGTERM drain still get out.
 */
final class RecordWriter implements AutoCloseable {
  static final int CAPACITY = 65_536;
  private static final int BATCH = 4_096;

  /**
   * How long the writer lets records gather after the first one arrives: one write and one wake-up
   * per interval instead of per record under load (measured: bench/setting-cost.sh), at the price
   * of a record reaching stdout at most this much later.
   */
  static final long LINGER_MILLIS = 20;

  private static final Logger LOG = LoggerFactory.getLogger(RecordWriter.class);
  private static final Object STOP = new Object();

  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>(CAPACITY);
  private final OutputStream out;
  private final Thread thread;
  private final AtomicLong written = new AtomicLong();
  private volatile boolean closed;

  RecordWriter(OutputStream out) {
    this.out = out;
    this.thread = new Thread(this::drain, "prediction-records");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues {@code record} ({@link PredictionRecord} or {@link FeedbackRecord}) to be written. */
  void add(Object record) {
    if (closed) {
      writeNow(List.of(record));
      return;
    }
    try {
      queue.put(record);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      writeNow(List.of(record));
      return;
    }
    if (closed) {
      // close() began while this record was being queued: the writing thread may be gone.
      writeLeftovers();
    }
  }

  /** Records written so far. */
  long written() {
    return written.get();
  }

  private void drain() {
    List<Object> batch = new ArrayList<>(BATCH);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);
    while (true) {
      Object first;
      try {
        first = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      boolean stop = first == STOP;
      if (!stop) {
        batch.add(first);
        if (queue.size() < BATCH && !closed) {
          try {
            Thread.sleep(LINGER_MILLIS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
      queue.drainTo(batch, BATCH - batch.size());
      if (batch.remove(STOP)) {
        stop = true;
      }
      write(batch, buffer);
      batch.clear();
      if (stop) {
        return;
      }
    }
  }

  private void writeNow(List<Object> records) {
    write(records, new ByteArrayOutputStream(512));
  }

  private void write(List<Object> records, ByteArrayOutputStream buffer) {
    if (records.isEmpty()) {
      return;
    }
    buffer.reset();
    try {
      RecordJson.write(records, buffer);
      // One write per batch: whole lines, never interleaved with the service log's lines.
      synchronized (out) {
        buffer.writeTo(out);
        out.flush();
      }
      written.addAndGet(records.size());
    } catch (IOException | RuntimeException e) {
      LOG.error("{} prediction records could not be written", records.size(), e);
    }
  }

  /** Writes every queued record, then stops the writing thread. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      // Bounded: a writing thread that is gone must not hold the shutdown up on a full queue.
      if (queue.offer(STOP, 1, TimeUnit.SECONDS)) {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writeLeftovers();
  }

  private void writeLeftovers() {
    List<Object> left = new ArrayList<>();
    queue.drainTo(left);
    left.remove(STOP);
    writeNow(left);
  }
}
