package dev.predictfn.support;

import dev.predictfn.bundle.BundleLocation;
import dev.predictfn.bundle.InvalidBundleException;
import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.bundle.ModelBundleReader;
import dev.predictfn.bundle.ModelCardJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/** Copies of the built-in bundle, intact or damaged on purpose, in a directory of their own. */
public final class Bundles {
  private Bundles() {}

  /** The built-in bundle, read and verified as the service reads it. */
  public static ModelBundle readBuiltIn() {
    try {
      return new ModelBundleReader(new ModelCardJson())
          .read(BundleLocation.classpath("model"), List.of());
    } catch (InvalidBundleException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The built-in bundle's file {@code name}. */
  public static byte[] builtIn(String name) {
    try (InputStream in = Bundles.class.getClassLoader().getResourceAsStream("model/" + name)) {
      if (in == null) {
        throw new IllegalStateException("model/" + name + " is not on the test classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The built-in bundle copied into {@code dir}. */
  public static Path copy(Path dir) {
    return write(dir, builtIn(ModelBundle.CARD_FILE), builtIn(ModelBundle.MODEL_FILE));
  }

  /** The built-in bundle with its card text rewritten by {@code edit}. */
  public static Path withCard(Path dir, UnaryOperator<String> edit) {
    String card = new String(builtIn(ModelBundle.CARD_FILE), StandardCharsets.UTF_8);
    String edited = edit.apply(card);
    if (edited.equals(card)) {
      throw new IllegalArgumentException("the edit changed nothing");
    }
    return write(dir, edited.getBytes(StandardCharsets.UTF_8), builtIn(ModelBundle.MODEL_FILE));
  }

  /** The built-in bundle with one byte of the model file flipped. */
  public static Path withCorruptModel(Path dir) {
    byte[] model = builtIn(ModelBundle.MODEL_FILE).clone();
    model[model.length / 2] ^= 0x5A;
    return write(dir, builtIn(ModelBundle.CARD_FILE), model);
  }

  private static Path write(Path dir, byte[] card, byte[] model) {
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve(ModelBundle.CARD_FILE), card);
      Files.write(dir.resolve(ModelBundle.MODEL_FILE), model);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
