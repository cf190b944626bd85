package dev.predictfn.monitoring;

import dev.predictfn.model.ServingModel;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.util.List;

/** Meter filters applied to every registry. */
@Factory
public final class MeterConfiguration {
  /** Every sample names the model version that produced it. */
  @Singleton
  MeterFilter modelVersionTag(ServingModel servingModel) {
    return MeterFilter.commonTags(List.of(Tag.of("model_version", servingModel.version())));
  }
}
