package dev.predictfn.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Evaluates {@link RequiresCommands}: enabled when every program is on {@code PATH}. */
public final class RequiredCommandsCondition implements ExecutionCondition {
  private static final String HOW =
      " (src/test/image/install-tools.sh installs them; .ci/run does so and requires them)";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<RequiresCommands> required =
        AnnotationSupport.findAnnotation(context.getElement(), RequiresCommands.class);
    if (required.isEmpty()) {
      return ConditionEvaluationResult.enabled("no programs required");
    }
    List<String> missing = missing(required.get().value());
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("all on PATH");
    }
    String reason = "not on PATH: " + String.join(", ", missing) + HOW;
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("CI=true requires every program; " + reason);
    }
    return ConditionEvaluationResult.disabled("skipped: " + reason);
  }

  /** The programs of {@code names} that no directory of {@code PATH} holds as an executable. */
  static List<String> missing(String... names) {
    String path = System.getenv().getOrDefault("PATH", "");
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      boolean found = false;
      for (String directory : path.split(File.pathSeparator)) {
        Path candidate = Path.of(directory.isEmpty() ? "." : directory, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          found = true;
          break;
        }
      }
      if (!found) {
        missing.add(name);
      }
    }
    return missing;
  }
}
