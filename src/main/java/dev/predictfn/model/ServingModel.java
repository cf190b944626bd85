package dev.predictfn.model;

import dev.predictfn.bundle.BundleLocation;
import dev.predictfn.bundle.InvalidBundleException;
import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.bundle.ModelBundleReader;
import dev.predictfn.serde.ModelCardJson;
import io.micronaut.context.annotation.Context;
import io.micronaut.json.JsonMapper;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model this process serves, loaded and verified once at start-up.
 *
 * <p>A bundle that fails verification does not stop the process: it stays up, reports itself not
 * ready on {@code /health/readiness}, answers predictions with 503 and logs why, so the platform
 * never routes traffic to it and the operator sees the reason.
 */
@Context
public final class ServingModel {
  private static final Logger LOG = LoggerFactory.getLogger(ServingModel.class);

  private final String source;
  private final Duration loadTime;
  private final ModelBundle bundle;
  private final Predictor predictor;
  private final String failure;

  public ServingModel(ModelConfiguration configuration, JsonMapper jsonMapper) {
    BundleLocation location = configuration.location();
    this.source = location.describe("");
    ModelBundleReader reader = new ModelBundleReader(new ModelCardJson(jsonMapper));
    long start = System.nanoTime();
    ModelBundle loaded = null;
    String error = null;
    try {
      loaded = reader.read(location, configuration.expectedFeaturesOrEmpty());
    } catch (InvalidBundleException e) {
      error = e.getMessage();
    }
    this.loadTime = Duration.ofNanos(System.nanoTime() - start);
    this.bundle = loaded;
    this.predictor = loaded == null ? null : new Predictor(loaded);
    this.failure = error;
    if (loaded != null) {
      LOG.info(
          "Model {} version {} loaded from {} in {} ms (sha256 {})",
          loaded.card().modelName(),
          loaded.version(),
          source,
          loadTime.toMillis(),
          loaded.card().modelSha256());
    } else {
      LOG.error(
          "Model bundle at {} rejected, the service will not become ready: {}", source, error);
    }
  }

  /** Whether a verified model is loaded. */
  public boolean isReady() {
    return bundle != null;
  }

  /** The predictor, or {@link ModelUnavailableException} when no verified model is loaded. */
  public Predictor predictor() {
    if (predictor == null) {
      throw new ModelUnavailableException(failure);
    }
    return predictor;
  }

  /** The loaded bundle, if any. */
  public Optional<ModelBundle> bundle() {
    return Optional.ofNullable(bundle);
  }

  /** The serving model version, or {@code "none"} when no model is loaded. */
  public String version() {
    return bundle == null ? "none" : bundle.version();
  }

  /** Why the bundle was rejected, if it was. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /** Where the bundle was read from. */
  public String source() {
    return source;
  }

  /** How long reading and verifying the bundle took. */
  public Duration loadTime() {
    return loadTime;
  }
}
