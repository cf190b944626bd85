package dev.predictfn.training;

import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and checks spec files, and resolves the paths they name (relative to the spec). */
public final class TrainingSpecs {
  private TrainingSpecs() {}

  /** The validated spec in {@code file}. */
  public static TrainingSpec read(JsonMapper mapper, Path file) throws IOException {
    byte[] json = Files.readAllBytes(file);
    TrainingSpec spec;
    try {
      spec = mapper.readValue(json, TrainingSpec.class);
    } catch (IOException | RuntimeException e) {
      throw new TrainingException(
          file.getFileName() + ": not a valid spec (" + e.getMessage() + ")");
    }
    if (spec == null) {
      throw new TrainingException(file.getFileName() + ": empty spec");
    }
    spec.validate(file.getFileName().toString());
    return spec;
  }

  /** {@code relative} resolved against the directory of {@code specFile}. */
  public static Path resolve(Path specFile, String relative) {
    return specFile.toAbsolutePath().getParent().resolve(relative);
  }
}
