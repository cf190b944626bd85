package dev.predictfn.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SIGTERM during a burst of requests, the way Cloud Run stops an instance. Four clients send {@code
 * POST /predict} on fresh connections; one more request is half uploaded when the signal is sent
 * and finished 0.5 s later, so the server is certainly in the middle of it. A request the server
 * accepted must get its 200; a connection refused or closed before the server read the request (it
 * no longer accepts) is counted apart, not as a failure.
 */
public final class SigtermDrill {
  /** What is being stopped: an application process or a container. */
  public interface Target {
    void sigterm() throws Exception;

    /** Waits for the exit and returns the exit code. */
    int awaitExit() throws Exception;
  }

  /**
   * What the drill saw.
   *
   * @param exitCode the process's exit code
   * @param exitMillis from SIGTERM to exit
   * @param halfUploaded the response to the request that was half uploaded at SIGTERM
   * @param ok burst requests answered 200 with a prediction
   * @param notAccepted burst connections refused or closed before a request was read
   * @param failures burst requests answered with an error or cut off mid-response
   * @param answeredIds the prediction id of every 200, the half-uploaded request's included
   */
  public record Outcome(
      int exitCode,
      long exitMillis,
      String halfUploaded,
      int ok,
      int notAccepted,
      List<String> failures,
      List<String> answeredIds) {

    /** Asserts what a drained shutdown looks like; {@code logs} explain a failure. */
    public void assertDrained(String logs) {
      assertTrue(
          halfUploaded.startsWith("HTTP/1.1 200"),
          "in-flight request was dropped: " + halfUploaded);
      assertTrue(halfUploaded.contains("\"prediction\":\"virginica\""), halfUploaded);
      assertEquals(0, exitCode, logs);
      assertTrue(exitMillis < 10_000, "exit took " + exitMillis + " ms");
      assertEquals(List.of(), failures, "requests answered with an error or cut off mid-response");
      assertTrue(ok > 0, "the burst got answers before shutdown");
      assertTrue(logs.contains("SIGTERM received"), logs);
    }
  }

  private static final byte[] BODY =
      "{\"features\":[6.7,3.0,5.2,2.3]}".getBytes(StandardCharsets.UTF_8);

  private static final Pattern PREDICTION_ID = Pattern.compile("\"prediction_id\":\"([^\"]+)\"");

  private SigtermDrill() {}

  public static Outcome run(int port, Target target) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger notAccepted = new AtomicInteger();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    ExecutorService burst = Executors.newFixedThreadPool(4);
    List<Future<?>> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      clients.add(burst.submit(() -> hammer(port, stop, ok, notAccepted, failures, ids)));
    }
    try (Socket slow = new Socket("127.0.0.1", port)) {
      slow.setSoTimeout(15_000);
      OutputStream out = slow.getOutputStream();
      out.write(headers().getBytes(StandardCharsets.US_ASCII));
      out.write(BODY, 0, 10);
      out.flush();
      Thread.sleep(300);

      long signalled = System.nanoTime();
      target.sigterm();
      Thread.sleep(500);
      out.write(BODY, 10, BODY.length - 10);
      out.flush();
      String halfUploaded = readAll(slow.getInputStream());
      predictionId(halfUploaded, ids);
      int exitCode = target.awaitExit();
      long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
      stop.set(true);
      for (Future<?> client : clients) {
        client.get(30, TimeUnit.SECONDS);
      }
      return new Outcome(
          exitCode,
          exitMillis,
          halfUploaded,
          ok.get(),
          notAccepted.get(),
          List.copyOf(failures),
          List.copyOf(ids));
    } finally {
      stop.set(true);
      burst.shutdownNow();
    }
  }

  private static void hammer(
      int port,
      AtomicBoolean stop,
      AtomicInteger ok,
      AtomicInteger notAccepted,
      List<String> failures,
      List<String> ids) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!stop.get() && System.nanoTime() < deadline) {
      String response;
      // Bounded connect and read: after the exit, a container's published port may accept
      // nothing without refusing either.
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        socket.setSoTimeout(5_000);
        socket.getOutputStream().write(headers().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(BODY);
        socket.getOutputStream().flush();
        response = readAll(socket.getInputStream());
      } catch (IOException refusedOrReset) {
        notAccepted.incrementAndGet();
        pause();
        continue;
      }
      if (response.isEmpty()) {
        notAccepted.incrementAndGet(); // closed before reading: never accepted as a request
      } else if (response.startsWith("HTTP/1.1 200") && response.contains("\"prediction\"")) {
        ok.incrementAndGet();
        predictionId(response, ids);
      } else {
        failures.add(response.lines().findFirst().orElse(response));
      }
    }
  }

  private static void predictionId(String response, List<String> ids) {
    Matcher id = PREDICTION_ID.matcher(response);
    if (id.find()) {
      ids.add(id.group(1));
    }
  }

  private static String headers() {
    return "POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Connection: close\r\nContent-Length: "
        + BODY.length
        + "\r\n\r\n";
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
