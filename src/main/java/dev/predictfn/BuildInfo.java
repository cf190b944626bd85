package dev.predictfn;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The application's name and version, as Maven wrote them into {@code build-info.properties}.
 *
 * @param name the artifact name
 * @param version the application version (the release tag's version)
 */
public record BuildInfo(String name, String version) {

  /** Reads {@code build-info.properties} from the classpath. */
  public static BuildInfo load() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/build-info.properties")) {
      if (in == null) {
        throw new IllegalStateException("build-info.properties is missing from the classpath");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BuildInfo(properties.getProperty("name"), properties.getProperty("version"));
  }

  /** Makes {@link BuildInfo} injectable. */
  @Factory
  static final class Beans {
    @Singleton
    BuildInfo buildInfo() {
      return load();
    }
  }
}
