package dev.predictfn.monitoring;

import dev.predictfn.model.ServingModel;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/** Meter filters applied to every registry. */
@Factory
public final class MeterConfiguration {
  /**
   * Every sample names the model version and the Cloud Run revision that produced it, so a new
   * revision's series can be compared with the old one's during a rollout without a join. Both are
   * constant for a process, so they add no series within an instance; the rest of what describes
   * the build (service, configuration, application version) is on one {@code
   * prediction_function_info} series ({@link InfoSeries}) instead of on every series.
   *
   * <p>The model is read while the application starts; this filter is made when the first registry
   * is, before any meter is registered, and waits for the load to finish (or be refused, then
   * {@code "none"}).
   */
  @Singleton
  MeterFilter commonTags(ServingModel servingModel, Deployment deployment) {
    servingModel.awaitLoad();
    List<Tag> tags = new ArrayList<>(List.of(Tag.of("model_version", servingModel.version())));
    String revision = Deployment.orEmpty(deployment.revision());
    if (!revision.isEmpty()) {
      tags.add(Tag.of("revision", revision));
    }
    return MeterFilter.commonTags(tags);
  }
}
