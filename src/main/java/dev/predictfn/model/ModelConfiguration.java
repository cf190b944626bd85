package dev.predictfn.model;

import dev.predictfn.bundle.BundleLocation;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.nio.file.Path;
import java.util.List;

/**
 * Which bundle to serve ({@code predict.model.*}, set by {@code MODEL_PATH} and {@code
 * MODEL_EXPECTED_FEATURES}).
 *
 * @param path a bundle directory; empty serves the bundle built into the application
 * @param expectedFeatures when not empty, the feature list (in order) the bundle must declare
 */
@ConfigurationProperties("predict.model")
public record ModelConfiguration(@Nullable String path, @Nullable List<String> expectedFeatures) {

  /** The classpath folder of the bundle built into the application. */
  public static final String BUILT_IN_FOLDER = "model";

  /** The location the configuration points at. */
  public BundleLocation location() {
    return path == null || path.isBlank()
        ? BundleLocation.classpath(BUILT_IN_FOLDER)
        : BundleLocation.directory(Path.of(path));
  }

  /** The configured feature list, or an empty list when none is pinned. */
  public List<String> expectedFeaturesOrEmpty() {
    return expectedFeatures == null
        ? List.of()
        : expectedFeatures.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
