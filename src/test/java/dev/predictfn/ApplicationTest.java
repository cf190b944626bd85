package dev.predictfn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The port choice made before Micronaut starts. */
class ApplicationTest {
  @Test
  void vertexPortWinsWhenSet() {
    assertEquals(
        Map.of("micronaut.server.port", "7080"),
        Application.portOverride(Map.of("AIP_HTTP_PORT", " 7080 ", "PORT", "8080")));
  }

  @Test
  void withoutVertexThePortIsLeftToApplicationYml() {
    assertEquals(Map.of(), Application.portOverride(Map.of("PORT", "8080")));
    assertEquals(Map.of(), Application.portOverride(Map.of("AIP_HTTP_PORT", "  ")));
  }
}
