package dev.predictfn.bundle;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a bundle directory: the model's protobuf bytes and a card that records their SHA-256.
 *
 * <p>Both files are written to a sibling temporary directory first and moved into place, so a
 * failed run never leaves a half-written bundle behind.
 */
public final class ModelBundleWriter {
  private final CardCodec cardJson;

  public ModelBundleWriter(CardCodec cardJson) {
    this.cardJson = cardJson;
  }

  /**
   * Writes {@code modelBytes} and {@code card} (whose {@code model_sha256} must match) into {@code
   * directory}, replacing an earlier bundle there.
   */
  public void write(Path directory, ModelCard card, byte[] modelBytes) throws IOException {
    String actual = Sha256.hex(modelBytes);
    if (!actual.equals(card.modelSha256())) {
      throw new IllegalArgumentException(
          "card model_sha256 " + card.modelSha256() + " does not match the model bytes " + actual);
    }
    Path parent = directory.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, "." + directory.getFileName() + "-");
    try {
      Files.write(staging.resolve(ModelBundle.MODEL_FILE), modelBytes);
      Files.write(staging.resolve(ModelBundle.CARD_FILE), cardJson.write(card));
      Files.createDirectories(directory);
      // The card goes last: a reader never sees a new card next to an old model file.
      move(staging.resolve(ModelBundle.MODEL_FILE), directory.resolve(ModelBundle.MODEL_FILE));
      move(staging.resolve(ModelBundle.CARD_FILE), directory.resolve(ModelBundle.CARD_FILE));
    } finally {
      deleteRecursively(staging);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
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
