package dev.predictfn.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that send a request slowly or stop half way get {@code 408} and lose the connection once
 * {@code predict.api.request-read-timeout} (1 s here) has passed since the request's first byte;
 * time a keep-alive connection spends idle between requests does not count.
 */
class RequestReadDeadlineTest {
  private static final String BODY = "{\"features\":[5.1,3.5,1.4,0.2]}";
  private static EmbeddedServer server;

  @BeforeAll
  static void start() {
    server =
        ApplicationContext.run(
            EmbeddedServer.class,
            Map.of("micronaut.server.port", -1, "predict.api.request-read-timeout", "1s"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void halfSentHeadersAnswer408AndCloseTheConnection() throws Exception {
    try (Socket socket = connect()) {
      send(socket, "POST /predict HTTP/1.1\r\nHost: localhost\r\nContent-Le");
      long start = System.nanoTime();
      String answer = readToEnd(socket.getInputStream());
      long millis = (System.nanoTime() - start) / 1_000_000;

      assertTrue(answer.startsWith("HTTP/1.1 408 Request Timeout"), answer);
      assertTrue(answer.contains("application/problem+json"), answer);
      assertTrue(answer.contains("not received in full within 1 s"), answer);
      assertTrue(millis >= 900 && millis < 5_000, "closed after " + millis + " ms");
    }
  }

  @Test
  void halfSentBodyAnswers408AndClosesTheConnection() throws Exception {
    try (Socket socket = connect()) {
      send(socket, headers(BODY.length()) + BODY.substring(0, 10));
      String answer = readToEnd(socket.getInputStream());

      assertTrue(answer.startsWith("HTTP/1.1 408 Request Timeout"), answer);
    }
  }

  @Test
  void keepAliveIdleTimeBetweenRequestsDoesNotCount() throws Exception {
    try (Socket socket = connect()) {
      send(socket, headers(BODY.length()) + BODY);
      assertTrue(readResponse(socket.getInputStream()).startsWith("HTTP/1.1 200"));

      Thread.sleep(1_500); // idle for longer than the deadline

      send(socket, headers(BODY.length()) + BODY);
      String second = readResponse(socket.getInputStream());
      assertTrue(second.startsWith("HTTP/1.1 200"), second);
      assertTrue(second.contains("\"prediction\":\"setosa\""), second);
    }
  }

  @Test
  void aRequestSentInPartsWithinTheDeadlineIsServed() throws Exception {
    try (Socket socket = connect()) {
      String request = headers(BODY.length()) + BODY;
      send(socket, request.substring(0, 40));
      Thread.sleep(300);
      send(socket, request.substring(40, 90));
      Thread.sleep(300);
      send(socket, request.substring(90));

      assertEquals(
          "HTTP/1.1 200 OK", readResponse(socket.getInputStream()).lines().findFirst().get());
    }
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.getPort());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static String headers(int length) {
    return "POST /predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: "
        + length
        + "\r\n\r\n";
  }

  private static void send(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String readToEnd(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** One response on a kept-alive connection: the headers, then Content-Length bytes of body. */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after: " + head);
      }
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
