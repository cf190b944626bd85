package dev.predictfn.batch;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The files one task writes into the output directory, each first as a hidden temporary file
 * (".NAME.tmp") and renamed to NAME only when the task has finished: a reader never sees a partial
 * file, and a task that is killed and run again replaces exactly its own files.
 */
final class TaskFiles implements AutoCloseable {
  private final Path directory;
  private final String suffix;
  private final List<Path> pending = new ArrayList<>();
  private final List<Closeable> writers = new ArrayList<>();

  TaskFiles(Path directory, int index, int count) throws IOException {
    this.directory = Files.createDirectories(directory);
    this.suffix = String.format("-%05d-of-%05d", index, count);
  }

  /** The final name of this task's file {@code prefix} with {@code extension}. */
  Path path(String prefix, String extension) {
    return directory.resolve(prefix + suffix + "." + extension);
  }

  /**
   * A writer of this task's file {@code prefix}.{@code extension}, published by {@link #commit}.
   */
  BufferedWriter open(String prefix, String extension) throws IOException {
    Path target = path(prefix, extension);
    Path temporary = temporary(target);
    BufferedWriter writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8);
    pending.add(target);
    writers.add(writer);
    return writer;
  }

  /**
   * The output part of this task, {@code prefix}.{@code extension}, published by {@link #commit}.
   */
  PartOutput openPart(String prefix, String extension) throws IOException {
    Path target = path(prefix, extension);
    PartOutput part = new PartOutput(Files.newOutputStream(temporary(target)));
    pending.add(target);
    writers.add(part);
    return part;
  }

  /** Closes every writer and renames each temporary file to its name, in the order opened. */
  void commit() throws IOException {
    for (Closeable writer : writers) {
      writer.close();
    }
    for (Path target : pending) {
      Path temporary = temporary(target);
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        // Cloud Storage FUSE renames by copy and delete: the object still appears whole.
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    pending.clear();
    writers.clear();
  }

  private static Path temporary(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp");
  }

  /** Closes what is still open (a failed task); its temporary files stay until a rerun. */
  @Override
  public void close() {
    for (Closeable writer : writers) {
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
