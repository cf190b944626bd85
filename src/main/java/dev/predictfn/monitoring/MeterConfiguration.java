package dev.predictfn.monitoring;

import dev.predictfn.model.ServingModel;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
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
   * prediction_function_info} series ({@link DeploymentInfo}) instead of on every series.
   *
   * <p>The model is read while the application starts, so the tags are settled when the first meter
   * is registered: that waits for the load to finish (or be refused, then {@code "none"}).
   */
  @Singleton
  MeterFilter commonTags(ServingModel servingModel, Deployment deployment) {
    return new MeterFilter() {
      private volatile Tags common;

      @Override
      public Meter.Id map(Meter.Id id) {
        // As MeterFilter.commonTags: a meter's own tag of the same key wins.
        return id.replaceTags(Tags.concat(common(), id.getTagsAsIterable()));
      }

      private Tags common() {
        Tags tags = common;
        if (tags == null) {
          servingModel.awaitLoad();
          List<Tag> list =
              new ArrayList<>(List.of(Tag.of("model_version", servingModel.version())));
          String revision = Deployment.orEmpty(deployment.revision());
          if (!revision.isEmpty()) {
            list.add(Tag.of("revision", revision));
          }
          tags = Tags.of(list);
          common = tags;
        }
        return tags;
      }
    };
  }
}
