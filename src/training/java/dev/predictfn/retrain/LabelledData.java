package dev.predictfn.retrain;

import dev.predictfn.bundle.Sha256;
import dev.predictfn.training.TrainingException;
import io.micronaut.serde.annotation.Serdeable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The labelled rows a retraining run learns from, named by URI: one CSV object, or the shards a
 * BigQuery export writes ({@code gs://BUCKET/PATH/part-*.csv}, a {@code *} in the last segment).
 * Shards are read in name order and joined under one header, which every shard must repeat as
 * BigQuery writes it; the SHA-256 is of the joined CSV, the bytes the model learned from.
 *
 * @param uri the name the data was given, as the card and the reports record it
 * @param shards each file read, in order
 * @param csv the joined CSV
 * @param sha256 SHA-256 of {@code csv}, hex-encoded
 */
public record LabelledData(String uri, List<Shard> shards, byte[] csv, String sha256) {

  /**
   * One file of the data.
   *
   * @param uri its name (a {@code gs://} URI when the data was named by one)
   * @param bytes its size
   * @param sha256 SHA-256 of its bytes, hex-encoded
   */
  @Serdeable
  public record Shard(String uri, long bytes, String sha256) {}

  /** Reads the data {@code uri} names, through {@code mounts}. */
  public static LabelledData read(String uri, BucketMounts mounts) throws IOException {
    int slash = uri.lastIndexOf('/');
    String last = uri.substring(slash + 1);
    List<String> names = new ArrayList<>();
    if (last.contains("*")) {
      String prefix = uri.substring(0, slash + 1);
      Path dir = mounts.local(prefix.isEmpty() ? "." : prefix);
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, last)) {
        for (Path file : files) {
          if (Files.isRegularFile(file)) {
            names.add(prefix + file.getFileName());
          }
        }
      } catch (NoSuchFileException e) {
        throw new TrainingException(uri + ": no such folder (" + dir + ")");
      }
      names.sort(null);
      if (names.isEmpty()) {
        throw new TrainingException(uri + ": no file matches (looked in " + dir + ")");
      }
    } else {
      names.add(uri);
    }
    List<Shard> shards = new ArrayList<>();
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    byte[] header = null;
    for (String name : names) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(mounts.local(name));
      } catch (NoSuchFileException e) {
        throw new TrainingException(name + ": no such file (" + e.getFile() + ")");
      }
      shards.add(new Shard(name, bytes.length, Sha256.hex(bytes)));
      int end = headerEnd(bytes);
      if (end == 0) {
        throw new TrainingException(name + ": empty; expected a header row and labelled rows");
      }
      byte[] own = Arrays.copyOf(bytes, end);
      if (header == null) {
        header = own;
        joined.write(bytes);
      } else if (!Arrays.equals(trim(header), trim(own))) {
        throw new TrainingException(
            String.format(
                Locale.ROOT,
                "%s line 1: header %s differs from %s's %s; every shard must have the same columns",
                name,
                text(own),
                names.get(0),
                text(header)));
      } else {
        joined.write(bytes, end, bytes.length - end);
      }
      if (bytes.length > end && bytes[bytes.length - 1] != '\n') {
        joined.write('\n');
      }
    }
    byte[] csv = joined.toByteArray();
    return new LabelledData(uri, List.copyOf(shards), csv, Sha256.hex(csv));
  }

  /** {@code sha256sum}'s format: the joined data's line, then one line per shard. */
  public String sha256Lines() {
    StringBuilder lines = new StringBuilder();
    lines.append(sha256).append("  ").append(uri).append('\n');
    if (shards.size() > 1 || !shards.get(0).uri().equals(uri)) {
      for (Shard shard : shards) {
        lines.append(shard.sha256()).append("  ").append(shard.uri()).append('\n');
      }
    }
    return lines.toString();
  }

  /** The index just past the first line's newline (or the length, for a one-line file). */
  private static int headerEnd(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        return i + 1;
      }
    }
    return bytes.length;
  }

  private static byte[] trim(byte[] line) {
    int end = line.length;
    while (end > 0 && (line[end - 1] == '\n' || line[end - 1] == '\r')) {
      end--;
    }
    return Arrays.copyOf(line, end);
  }

  private static String text(byte[] line) {
    return "'" + new String(trim(line), StandardCharsets.UTF_8) + "'";
  }
}
