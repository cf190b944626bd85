package dev.predictfn.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A body over the limit is answered 413 in a shape the caller can read, also by clients that write
 * the whole body before they read the answer (as Python's urllib does): the server reads and drops
 * the body instead of closing the connection under the client's feet.
 */
class OversizeBodyTest {
  private static final int BODY = 4_400_000;
  private static EmbeddedServer server;

  @BeforeAll
  static void start() {
    server = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Writes the request line, headers and (unless {@code withBody} is false) the whole body. */
  private static String writeAllThenRead(String path, String extraHeaders, boolean withBody)
      throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.getPort())) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + extraHeaders
                  + "Content-Length: "
                  + BODY
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      if (withBody) {
        byte[] body = new byte[BODY];
        Arrays.fill(body, (byte) ' ');
        out.write(body); // all of it, before reading anything
        out.flush();
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer); // until the server closes the connection
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void aClientThatWritesTheWholeBodyFirstReadsTheProblem() throws Exception {
    String answer = writeAllThenRead("/predict", "", true);

    assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
    assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), answer);
    assertTrue(
        answer.contains(
            "\"detail\":\"The request body is 4400000 bytes; the limit is 1572864 bytes."),
        answer);
    assertTrue(answer.contains("\"instance\":\"/predict\""), answer);
  }

  @Test
  void underV2TheAnswerIsTheProtocolsErrorShape() throws Exception {
    String answer = writeAllThenRead("/v2/models/iris-sgd/infer", "", true);

    assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
    String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
    assertEquals(
        "{\"error\":\"The request body is 4400000 bytes; the limit is 1572864 bytes. Split the"
            + " batch into smaller requests.\"}",
        body);
  }

  @Test
  void aClientThatWaitsForContinueGetsThe413AtOnce() throws Exception {
    String answer = writeAllThenRead("/predict", "Expect: 100-continue\r\n", false);

    assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
  }
}
