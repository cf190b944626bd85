package dev.predictfn.retrain;

import dev.predictfn.training.TrainingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One run's directory in the candidates bucket. Files are staged in a local directory and copied to
 * the destination one by one when the run ends, {@code run.json} last: a Cloud Storage mount
 * renames no directories, and a reader that finds {@code run.json} finds every file beside it. A
 * run never replaces an earlier run's directory.
 */
public final class CandidateRun implements AutoCloseable {
  /** The manifest's file name, written last. */
  public static final String MANIFEST = "run.json";

  private final Path destination;
  private final Path staging;

  private CandidateRun(Path destination, Path staging) {
    this.destination = destination;
    this.staging = staging;
  }

  /** Opens a run that will publish to {@code destination}, which must not hold a run yet. */
  public static CandidateRun open(Path destination, String uri) throws IOException {
    if (Files.exists(destination.resolve(MANIFEST))) {
      throw new TrainingException(
          uri + " already holds a finished run; runs are never replaced: give another --run-id");
    }
    return new CandidateRun(destination, Files.createTempDirectory("retrain-"));
  }

  /** The staged path of {@code name} (its parents created), for writers that take a path. */
  public Path path(String name) throws IOException {
    Path file = staging.resolve(name);
    Files.createDirectories(file.getParent());
    return file;
  }

  /** Stages {@code bytes} as {@code name}. */
  public void write(String name, byte[] bytes) throws IOException {
    Files.write(path(name), bytes);
  }

  /** Unstages the folder {@code name} and everything in it. */
  public void discard(String name) throws IOException {
    deleteRecursively(staging.resolve(name));
  }

  /** Copies every staged file to the destination, the manifest (staged as {@code bytes}) last. */
  public void publish(byte[] manifest) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(staging)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      Path target = destination.resolve(staging.relativize(file).toString());
      Files.createDirectories(target.getParent());
      Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.createDirectories(destination);
    Files.write(destination.resolve(MANIFEST), manifest);
  }

  @Override
  public void close() throws IOException {
    deleteRecursively(staging);
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
