package dev.predictfn.monitoring;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Where this instance runs ({@code predict.deployment.*}): the Cloud Run service, revision and
 * configuration, which Cloud Run sets as {@code K_SERVICE}, {@code K_REVISION} and {@code
 * K_CONFIGURATION}; empty elsewhere.
 *
 * @param service the service name
 * @param revision the revision name
 * @param configuration the configuration name
 */
@ConfigurationProperties("predict.deployment")
public record Deployment(
    @Nullable String service, @Nullable String revision, @Nullable String configuration) {

  /** {@code value}, or {@code ""} when unset. */
  static String orEmpty(@Nullable String value) {
    return value == null ? "" : value.trim();
  }
}
