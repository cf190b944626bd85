package dev.predictfn.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tests that run programs which a bare machine with only a JDK lacks (the Google Cloud CLI, jq,
 * curl, podman): skipped, with the reason in the report, where one is not on {@code PATH}; under
 * {@code CI=true} a missing program fails them instead, so CI never passes by skipping.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiredCommandsCondition.class)
public @interface RequiresCommands {
  /** Program names looked up on {@code PATH}, e.g. {@code gcloud}. */
  String[] value();
}
