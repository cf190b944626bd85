package dev.predictfn.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The image run by podman the way Cloud Run runs it: PORT and the K_* variables set, CPU and memory
 * limited as {@code cloudrun/service.yaml} says (1 CPU, 512 MiB), a read-only root file system (and
 * no writable /tmp either), as the image's own user, its port published on 127.0.0.1 only. Always
 * removed by {@link #close()}.
 */
public final class RunningContainer implements AutoCloseable {
  private final Podman podman;
  private final String name;
  private final int hostPort;

  private RunningContainer(Podman podman, String name, int hostPort) {
    this.podman = podman;
    this.name = name;
    this.hostPort = hostPort;
  }

  /**
   * Starts {@code image} detached, with {@code env} added to Cloud Run's variables and {@code
   * extraArgs} (such as volumes) passed to {@code podman run}.
   */
  public static RunningContainer start(
      Podman podman, String image, Map<String, String> env, List<String> extraArgs)
      throws IOException, InterruptedException {
    CloudRunService service = CloudRunService.load();
    String name = "predictfn-it-" + UUID.randomUUID().toString().substring(0, 8);
    int hostPort = RunningJar.freePort();
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--detach",
                "--name=" + name,
                "--cpus=" + service.cpu(),
                "--memory=" + service.podmanMemory(),
                "--read-only",
                "--read-only-tmpfs=false",
                "--publish=127.0.0.1:" + hostPort + ":" + service.containerPort(),
                "--env=PORT=" + service.containerPort(),
                "--env=K_SERVICE=prediction-function",
                "--env=K_REVISION=prediction-function-00001-it",
                "--env=K_CONFIGURATION=prediction-function"));
    env.forEach((key, value) -> args.add("--env=" + key + "=" + value));
    args.addAll(extraArgs);
    args.add(image);
    podman.run(args.toArray(String[]::new)).orThrow();
    return new RunningContainer(podman, name, hostPort);
  }

  /** Waits until {@code /health/readiness} answers 200 through the published port. */
  public RunningContainer awaitReady(Duration limit) throws Exception {
    NettyTransport http = http();
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!running()) {
        throw new IllegalStateException("the container exited early:\n" + logs());
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
    throw new IllegalStateException("not ready within " + limit + ":\n" + logs());
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + hostPort + "/");
  }

  public NettyTransport http() {
    return new NettyTransport(uri());
  }

  /** stdout and stderr of the container so far. */
  public String logs() throws IOException, InterruptedException {
    Podman.Result logs = podman.run("logs", name);
    return logs.stdout() + logs.stderr();
  }

  public boolean running() throws IOException, InterruptedException {
    return "true".equals(inspect("{{.State.Running}}"));
  }

  /** The numeric user the container's main process runs as, read from the host's /proc. */
  public String processUid() throws IOException, InterruptedException {
    String pid = inspect("{{.State.Pid}}");
    for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
      if (line.startsWith("Uid:")) {
        return line.split("\\s+")[1]; // real uid
      }
    }
    throw new IllegalStateException("no Uid line in /proc/" + pid + "/status");
  }

  /** Sends SIGTERM to the container's main process, as Cloud Run does when it stops an instance. */
  public void sigterm() throws IOException, InterruptedException {
    podman.run("kill", "--signal", "TERM", name).orThrow();
  }

  /** Waits for the container to exit and returns its exit code. */
  public int awaitExit() throws IOException, InterruptedException {
    return Integer.parseInt(podman.run("wait", name).orThrow().stdout().trim());
  }

  private String inspect(String format) throws IOException, InterruptedException {
    return podman.run("inspect", "--format", format, name).orThrow().stdout().trim();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    podman.run("rm", "--force", "--time", "0", name);
  }
}
