package dev.predictfn.batch;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The input files a {@code score} job reads, in one order every task agrees on. */
final class InputFiles {
  private InputFiles() {}

  /** The format of a file, from its name. */
  enum Format {
    CSV,
    JSON_LINES;

    static Format of(Path file) {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".csv")) {
        return CSV;
      }
      if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
        return JSON_LINES;
      }
      throw new IllegalArgumentException(
          file + " is neither CSV (.csv) nor JSON Lines (.jsonl, .ndjson, .json)");
    }

    String extension() {
      return this == CSV ? "csv" : "jsonl";
    }
  }

  /**
   * The files {@code spec} names, sorted by path: one file; a directory's CSV and JSON Lines files
   * (not its subdirectories'); or the files matching a glob such as {@code /data/in/*.csv}.
   */
  static List<Path> resolve(String spec) throws IOException {
    int glob = firstGlobCharacter(spec);
    List<Path> files;
    if (glob >= 0) {
      int slash = spec.lastIndexOf('/', glob);
      Path base = slash < 0 ? Path.of(".") : Path.of(slash == 0 ? "/" : spec.substring(0, slash));
      String pattern = slash < 0 ? spec : spec.substring(slash + 1);
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
      int depth = pattern.contains("**") ? Integer.MAX_VALUE : pattern.split("/").length;
      if (!Files.isDirectory(base)) {
        throw new IllegalArgumentException("--input " + spec + ": no directory " + base);
      }
      try (Stream<Path> walk = Files.walk(base, depth)) {
        files =
            walk.filter(Files::isRegularFile)
                .filter(p -> matcher.matches(base.relativize(p)))
                .sorted()
                .toList();
      }
    } else {
      Path path = Path.of(spec);
      if (Files.isDirectory(path)) {
        try (Stream<Path> list = Files.list(path)) {
          files =
              list.filter(Files::isRegularFile)
                  .filter(p -> !p.getFileName().toString().startsWith("."))
                  .filter(InputFiles::isData)
                  .sorted()
                  .toList();
        }
      } else if (Files.isRegularFile(path)) {
        files = List.of(path);
      } else {
        throw new IllegalArgumentException("--input " + spec + ": no such file or directory");
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("--input " + spec + ": no CSV or JSON Lines files");
    }
    Format first = Format.of(files.get(0));
    for (Path file : files) {
      if (Format.of(file) != first) {
        throw new IllegalArgumentException(
            "--input "
                + spec
                + " mixes CSV and JSON Lines files ("
                + files.get(0)
                + ", "
                + file
                + "); score each format in its own job");
      }
    }
    return files;
  }

  private static boolean isData(Path file) {
    try {
      Format.of(file);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static int firstGlobCharacter(String spec) {
    for (int i = 0; i < spec.length(); i++) {
      if ("*?[{".indexOf(spec.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
