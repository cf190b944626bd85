package dev.predictfn.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged application started as README says ({@code java -jar}), in its own process, with its
 * stdout captured. Always stopped (and killed if need be) by {@link #close()}.
 */
public final class RunningJar implements AutoCloseable {
  private final Process process;
  private final Path stdout;
  private final int port;

  private RunningJar(Process process, Path stdout, int port) {
    this.process = process;
    this.stdout = stdout;
    this.port = port;
  }

  /** Starts the jar named by the {@code app.jar} system property on a free port. */
  public static RunningJar start(Map<String, String> env) throws IOException {
    // Under Vertex AI the port comes from AIP_HTTP_PORT, which the application prefers.
    int port =
        env.containsKey("AIP_HTTP_PORT") ? Integer.parseInt(env.get("AIP_HTTP_PORT")) : freePort();
    return startOnPort(port, env);
  }

  /** Starts the jar with {@code PORT} set to {@code port}. */
  public static RunningJar startOnPort(int port, Map<String, String> env) throws IOException {
    String jar = System.getProperty("app.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("app.jar must name the packaged jar, was " + jar);
    }
    String java = System.getProperty("java.command", "java");
    Path stdout = Files.createTempFile("predictfn-", ".log");
    List<String> command = new ArrayList<>(List.of(java, "-jar", jar));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(stdout.toFile());
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().putAll(env);
    return new RunningJar(builder.start(), stdout, port);
  }

  /** Waits until {@code /health/readiness} answers 200. */
  public RunningJar awaitReady(Duration limit) throws Exception {
    NettyTransport http = http();
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the application exited early:\n" + output());
      }
      try {
        if (http.send(HttpCall.get("/health/readiness")).status() == 200) {
          return this;
        }
      } catch (IOException notYetListening) {
        // keep polling
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("not ready within " + limit + ":\n" + output());
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  public int port() {
    return port;
  }

  public NettyTransport http() {
    return new NettyTransport(uri());
  }

  public Process process() {
    return process;
  }

  /** Everything the process wrote so far. */
  public String output() throws IOException {
    return Files.readString(stdout);
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
    Files.deleteIfExists(stdout);
  }

  /** A port nothing listens on right now. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
