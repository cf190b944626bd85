package dev.predictfn.records;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes record lines off the request path. A request encodes its own records (on its own thread,
 * so encoding spreads over every core) and hands them over as one chunk; one thread gathers what
 * arrives within {@value #LINGER_MILLIS} ms of the first chunk and writes it with one call. Under
 * load a write carries many requests' records; when traffic is light a record is written within
 * {@value #LINGER_MILLIS} ms.
 *
 * <p>Nothing is dropped. Chunks waiting to be written hold at most {@value #CAPACITY_BYTES} bytes;
 * a caller that finds no room waits for it (a stdout that cannot keep up slows requests rather than
 * losing records). {@link #close} writes every queued chunk before it returns, and a chunk added
 * after that is written by its caller, so records of requests finishing during a SIGTERM drain
 * still get out.
 */
final class RecordWriter implements AutoCloseable {
  /** Bytes of record lines that may wait to be written: a few hundred ms of the heaviest load. */
  static final int CAPACITY_BYTES = 8 << 20;

  /** A write carries at most this much, so one write never holds the stream for long. */
  private static final int WRITE_BYTES = 1 << 20;

  /**
   * How long the writer lets chunks gather after the first one arrives: one write and one wake-up
   * per interval instead of per request under load (measured: bench/setting-cost.sh), at the price
   * of a record reaching stdout at most this much later.
   */
  static final long LINGER_MILLIS = 20;

  private static final Logger LOG = LoggerFactory.getLogger(RecordWriter.class);
  private static final Chunk STOP = new Chunk(new RecordBytes(0), 0);

  private final LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
  // Fair: a request with a large batch waiting for room is not overtaken for ever by small ones.
  private final Semaphore room = new Semaphore(CAPACITY_BYTES, true);
  private final OutputStream out;
  private final Thread thread;
  private final AtomicLong written = new AtomicLong();
  private volatile boolean closed;

  /** Lines of {@code records} records, and the room they took in the queue. */
  private record Chunk(RecordBytes lines, int records) {
    int permits() {
      return Math.min(lines.size(), CAPACITY_BYTES);
    }
  }

  RecordWriter(OutputStream out) {
    this.out = out;
    this.thread = new Thread(this::drain, "prediction-records");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues {@code lines}, whole JSON lines of {@code records} records, to be written; the caller
   * must not touch {@code lines} afterwards.
   */
  void add(RecordBytes lines, int records) {
    Chunk chunk = new Chunk(lines, records);
    if (closed) {
      write(List.of(chunk), new RecordBytes(lines.size()));
      return;
    }
    try {
      room.acquire(chunk.permits());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      write(List.of(chunk), new RecordBytes(lines.size()));
      return;
    }
    queue.add(chunk);
    if (closed) {
      // close() began while this chunk was being queued: the writing thread may be gone.
      writeLeftovers();
    }
  }

  /** Records written so far. */
  long written() {
    return written.get();
  }

  private void drain() {
    List<Chunk> batch = new ArrayList<>();
    RecordBytes buffer = new RecordBytes(1 << 16);
    while (true) {
      Chunk first;
      try {
        first = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      boolean stop = first == STOP;
      if (!stop) {
        batch.add(first);
        if (waiting() < WRITE_BYTES && !closed) {
          try {
            Thread.sleep(LINGER_MILLIS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
      int bytes = first.lines().size();
      for (Chunk next; bytes < WRITE_BYTES && (next = queue.poll()) != null; ) {
        if (next == STOP) {
          stop = true;
          break;
        }
        batch.add(next);
        bytes += next.lines().size();
      }
      write(batch, buffer);
      release(batch);
      batch.clear();
      if (stop) {
        return;
      }
    }
  }

  /** Bytes queued and not yet taken by the writing thread. */
  private int waiting() {
    return CAPACITY_BYTES - room.availablePermits();
  }

  private void write(List<Chunk> chunks, RecordBytes buffer) {
    if (chunks.isEmpty()) {
      return;
    }
    buffer.reset();
    int records = 0;
    for (Chunk chunk : chunks) {
      buffer.append(chunk.lines());
      records += chunk.records();
    }
    try {
      // One write per batch: whole lines, never interleaved with the service log's lines.
      synchronized (out) {
        buffer.writeTo(out);
        out.flush();
      }
      written.addAndGet(records);
    } catch (IOException | RuntimeException e) {
      LOG.error("{} prediction records could not be written", records, e);
    }
  }

  /** Gives back the room of queued chunks once they are written. */
  private void release(List<Chunk> chunks) {
    int permits = 0;
    for (Chunk chunk : chunks) {
      permits += chunk.permits();
    }
    room.release(permits);
  }

  /** Writes every queued record, then stops the writing thread. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(STOP);
    try {
      // Bounded: a writing thread that is gone must not hold the shutdown up.
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writeLeftovers();
  }

  private void writeLeftovers() {
    List<Chunk> left = new ArrayList<>();
    queue.drainTo(left);
    if (left.remove(STOP) && thread.isAlive()) {
      // Taken from under the writing thread, which still has to see it to stop.
      queue.add(STOP);
    }
    write(left, new RecordBytes(1 << 16));
    release(left);
  }
}
