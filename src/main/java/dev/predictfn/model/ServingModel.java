package dev.predictfn.model;

import dev.predictfn.bundle.BundleLocation;
import dev.predictfn.bundle.InvalidBundleException;
import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.bundle.ModelBundleReader;
import dev.predictfn.bundle.ModelCardJson;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model this process serves, read and verified once, on its own thread while the application
 * context starts (the bean is created among the first); the context's {@link StartupEvent}, which
 * comes before the server opens its port, waits for the outcome. So the bundle's reading and
 * SHA-256 check overlap with the creation of the other beans (docs/performance.md, "Where an image
 * start goes"), and the server never answers before the model is verified or refused.
 *
 * <p>Until the bundle is verified the model is not ready ({@link #isReady()}, {@code
 * /health/readiness} DOWN). A bundle that fails verification does not stop the process: it stays
 * up, reports itself not ready with the reason, answers predictions with 503 and logs why, so the
 * platform never routes traffic to it and the operator sees the reason.
 */
@Context
public final class ServingModel implements ApplicationEventListener<StartupEvent> {
  /** How long a caller of {@link #predictor()} waits for a load still in progress. */
  static final Duration LOAD_WAIT = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(ServingModel.class);

  /** The outcome of the load: a verified bundle and its predictor, or the reason it was refused. */
  private record Outcome(ModelBundle bundle, Predictor predictor, String failure, Duration time) {}

  private final String source;
  private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

  public ServingModel(ModelConfiguration configuration) {
    BundleLocation location = configuration.location();
    this.source = location.describe("");
    List<String> expected = configuration.expectedFeaturesOrEmpty();
    ModelBundleReader reader = new ModelBundleReader(new ModelCardJson());
    Thread loader = new Thread(() -> load(reader, location, expected), "model-loader");
    loader.setDaemon(true);
    loader.start();
  }

  private void load(ModelBundleReader reader, BundleLocation location, List<String> expected) {
    long start = System.nanoTime();
    try {
      ModelBundle loaded = reader.read(location, expected);
      Duration time = Duration.ofNanos(System.nanoTime() - start);
      LOG.info(
          "Model {} version {} loaded from {} in {} ms (sha256 {})",
          loaded.card().modelName(),
          loaded.version(),
          source,
          time.toMillis(),
          loaded.card().modelSha256());
      outcome.complete(new Outcome(loaded, new Predictor(loaded), null, time));
    } catch (InvalidBundleException e) {
      refuse(e.getMessage(), start);
    } catch (RuntimeException | Error e) {
      // A fault of the reader itself: the process stays up and says why, as for a bad bundle.
      LOG.error("Reading the model bundle at {} failed", source, e);
      refuse(e.toString(), start);
      if (e instanceof Error error) {
        throw error;
      }
    }
  }

  private void refuse(String reason, long start) {
    LOG.error("Model bundle at {} rejected, the service will not become ready: {}", source, reason);
    outcome.complete(new Outcome(null, null, reason, Duration.ofNanos(System.nanoTime() - start)));
  }

  /** The context has started: the server opens its port after this, with the model settled. */
  @Override
  public void onApplicationEvent(StartupEvent event) {
    awaitLoad();
  }

  /** Whether a verified model is loaded; false while the bundle is still being read. */
  public boolean isReady() {
    return bundle().isPresent();
  }

  /** Whether the bundle is still being read and verified. */
  public boolean isLoading() {
    return !outcome.isDone();
  }

  /**
   * Waits until the bundle has been read and verified or refused, as long as that takes (a start-up
   * that cannot read its bundle is ended by Cloud Run's startup probe, as before this ran on its
   * own thread).
   *
   * @return whether a verified model is loaded
   */
  public boolean awaitLoad() {
    return outcome.join().bundle() != null;
  }

  /**
   * The predictor, once the load has finished (waiting for it if need be).
   *
   * @throws ModelUnavailableException when the bundle was refused, or is still loading after {@link
   *     #LOAD_WAIT}
   */
  public Predictor predictor() {
    Outcome done = awaitOutcome();
    if (done.predictor() == null) {
      throw new ModelUnavailableException(done.failure());
    }
    return done.predictor();
  }

  /** The outcome, if the load has ended (without waiting). */
  private Optional<Outcome> settled() {
    return Optional.ofNullable(outcome.getNow(null));
  }

  private Outcome awaitOutcome() {
    Optional<Outcome> done = settled();
    if (done.isPresent()) {
      return done.get();
    }
    try {
      return outcome.get(LOAD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return new Outcome(
          null,
          null,
          "the model bundle is still loading after " + LOAD_WAIT.toSeconds() + " s",
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(null, null, "interrupted while waiting for the model bundle", null);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the model load never fails exceptionally", e);
    }
  }

  /** The loaded bundle, if a verified one is loaded (without waiting). */
  public Optional<ModelBundle> bundle() {
    return settled().map(Outcome::bundle);
  }

  /** The serving model version, or {@code "none"} while no verified model is loaded. */
  public String version() {
    return bundle().map(ModelBundle::version).orElse("none");
  }

  /** Why the bundle was rejected, if it was (without waiting). */
  public Optional<String> failure() {
    return settled().map(Outcome::failure);
  }

  /** Where the bundle is read from. */
  public String source() {
    return source;
  }

  /** How long reading and verifying the bundle took; zero while it is still loading. */
  public Duration loadTime() {
    return settled().map(Outcome::time).orElse(Duration.ZERO);
  }
}
