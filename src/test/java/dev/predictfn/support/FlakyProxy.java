package dev.predictfn.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A revision that answers some 5xx: forwards every request to a real instance, except every Nth
 * {@code POST /predict}, which it answers 503 itself (an instance running out of memory, say).
 * Listens on 127.0.0.1 only; close it when done.
 */
public final class FlakyProxy implements AutoCloseable {
  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final AtomicInteger predictions = new AtomicInteger();

  public FlakyProxy(String target, int failEvery) throws IOException {
    String base = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            boolean predict =
                exchange.getRequestMethod().equals("POST")
                    && exchange.getRequestURI().getPath().equals("/predict");
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (predict && predictions.incrementAndGet() % failEvery == 0) {
              reply(exchange, 503, "{\"detail\":\"injected failure\"}".getBytes());
              return;
            }
            forward(exchange, base, body);
          }
        });
    server.start();
  }

  private void forward(HttpExchange exchange, String base, byte[] body) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + exchange.getRequestURI()))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type != null) {
      request.header("Content-Type", type);
    }
    try {
      HttpResponse<byte[]> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      response
          .headers()
          .firstValue("Content-Type")
          .ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
      reply(exchange, response.statusCode(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply(exchange, 502, "interrupted".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
