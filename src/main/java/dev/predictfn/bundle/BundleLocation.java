package dev.predictfn.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a bundle's files are read from: a directory (e.g. a mounted volume) or a classpath folder
 * (the bundle built into the application).
 */
public sealed interface BundleLocation {

  /** Reads one file of the bundle. */
  byte[] read(String fileName) throws IOException;

  /** Names a file of the bundle for log lines and error messages. */
  String describe(String fileName);

  /** A bundle in a directory on the file system. */
  static BundleLocation directory(Path directory) {
    return new Directory(directory);
  }

  /** A bundle on the classpath, under {@code folder} (no leading slash). */
  static BundleLocation classpath(String folder) {
    return new Classpath(folder.endsWith("/") ? folder : folder + "/");
  }

  /** A bundle directory on the file system. */
  record Directory(Path directory) implements BundleLocation {
    @Override
    public byte[] read(String fileName) throws IOException {
      return Files.readAllBytes(directory.resolve(fileName));
    }

    @Override
    public String describe(String fileName) {
      return directory.resolve(fileName).toString();
    }
  }

  /** A bundle folder on the classpath. */
  record Classpath(String folder) implements BundleLocation {
    @Override
    public byte[] read(String fileName) throws IOException {
      try (InputStream in =
          BundleLocation.class.getClassLoader().getResourceAsStream(folder + fileName)) {
        if (in == null) {
          throw new NoSuchFileException(describe(fileName));
        }
        return in.readAllBytes();
      }
    }

    @Override
    public String describe(String fileName) {
      return "classpath:" + folder + fileName;
    }
  }
}
