package dev.predictfn.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The podman command line, set up the way the project's build machines need it (as
 * src/main/image/podman.sh): the runc runtime (crun refuses the hybrid cgroup layout) and a
 * containers.conf without default ulimits (the runtime may not raise them without
 * CAP_SYS_RESOURCE).
 */
public final class Podman {
  /** What a finished podman command printed and returned. */
  public record Result(int exitCode, String stdout, String stderr) {
    public Result orThrow() {
      if (exitCode != 0) {
        throw new IllegalStateException("podman exited " + exitCode + ": " + stderr + stdout);
      }
      return this;
    }
  }

  private final Path containersConf;

  private Podman(Path containersConf) {
    this.containersConf = containersConf;
  }

  /** A podman that writes its containers.conf under {@code workDir}. */
  public static Podman in(Path workDir) throws IOException {
    Files.createDirectories(workDir);
    Path conf = workDir.resolve("containers.conf");
    Files.writeString(conf, "[containers]\ndefault_ulimits = []\n");
    return new Podman(conf);
  }

  /**
   * Runs {@code podman ARGS...} to completion (at most 120 s). Its output goes to files, not pipes:
   * read one after the other, a pipe that fills while the other is read would stall both sides.
   */
  public Result run(String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile("podman-out", ".txt");
    Path err = Files.createTempFile("podman-err", ".txt");
    try {
      Process process =
          builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "podman " + String.join(" ", args) + " took over 120 s: " + Files.readString(err));
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Starts {@code podman ARGS...} without waiting. */
  public Process start(String... args) throws IOException {
    return builder(args).start();
  }

  private ProcessBuilder builder(String... args) {
    List<String> command = new ArrayList<>(List.of("podman", "--runtime", "runc"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("CONTAINERS_CONF", containersConf.toString());
    return builder;
  }
}
