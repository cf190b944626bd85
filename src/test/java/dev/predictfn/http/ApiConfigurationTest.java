package dev.predictfn.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Limits are checked when the application starts, not on the first request. */
class ApiConfigurationTest {
  @Test
  void appliesConfiguredLimits() {
    try (ApplicationContext context =
        ApplicationContext.run(
            Map.of("predict.api.max-batch-size", 50, "predict.api.max-body-bytes", 4096))) {
      ApiConfiguration limits = context.getBean(ApiConfiguration.class);

      assertEquals(50, limits.maxBatchSize());
      assertEquals(4096, limits.maxBodyBytes());
    }
  }

  @Test
  void refusesToStartWithABatchCapBelowOne() {
    RuntimeException failure =
        assertThrows(
            RuntimeException.class,
            () -> ApplicationContext.run(Map.of("predict.api.max-batch-size", 0)).close());

    assertTrue(
        messages(failure).contains("maxBatchSize - must be greater than or equal to 1"),
        messages(failure));
  }

  private static String messages(Throwable error) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }
}
