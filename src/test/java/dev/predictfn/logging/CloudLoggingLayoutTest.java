package dev.predictfn.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.predictfn.support.Json;
import io.micronaut.json.tree.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** One JSON object per line, in the fields Cloud Logging reads. */
class CloudLoggingLayoutTest {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

  private String layout(LoggingEvent event, String projectId) {
    CloudLoggingLayout layout = new CloudLoggingLayout();
    layout.setContext(context);
    layout.setProjectId(projectId);
    layout.start();
    return layout.doLayout(event);
  }

  private LoggingEvent event(Level level, String message, Throwable error) {
    return new LoggingEvent(
        "test", context.getLogger("dev.predictfn.Test"), level, message, error, null);
  }

  @Test
  void writesSeverityMessageTimeAndLoggerOnOneLine() {
    String line = layout(event(Level.WARN, "careful", null), "");

    assertTrue(line.endsWith("\n"));
    assertEquals(1, line.split("\n").length);
    JsonNode json = Json.parse(line);
    assertEquals("WARNING", json.get("severity").getStringValue());
    assertEquals("careful", json.get("message").getStringValue());
    assertEquals("dev.predictfn.Test", json.get("logger").getStringValue());
    assertTrue(json.get("time").getStringValue().endsWith("Z"));
  }

  @Test
  void mapsEveryLevelToACloudLoggingSeverity() {
    assertEquals("ERROR", CloudLoggingLayout.severity(Level.ERROR));
    assertEquals("WARNING", CloudLoggingLayout.severity(Level.WARN));
    assertEquals("INFO", CloudLoggingLayout.severity(Level.INFO));
    assertEquals("DEBUG", CloudLoggingLayout.severity(Level.DEBUG));
    assertEquals("DEBUG", CloudLoggingLayout.severity(Level.TRACE));
  }

  @Test
  void namesTheTraceWithTheProjectWhenKnown() {
    LoggingEvent event = event(Level.INFO, "hello", null);
    event.setMDCPropertyMap(
        Map.of(
            CloudLoggingLayout.MDC_TRACE, "0af7651916cd43dd8448eb211c80319c",
            CloudLoggingLayout.MDC_SPAN, "00f067aa0ba902b7",
            CloudLoggingLayout.MDC_SAMPLED, "true"));

    JsonNode json = Json.parse(layout(event, "my-project"));

    assertEquals(
        "projects/my-project/traces/0af7651916cd43dd8448eb211c80319c",
        json.get("logging.googleapis.com/trace").getStringValue());
    assertEquals("00f067aa0ba902b7", json.get("logging.googleapis.com/spanId").getStringValue());
    assertTrue(json.get("logging.googleapis.com/trace_sampled").getBooleanValue());
  }

  @Test
  void keepsTheTraceIdWithoutAProject() {
    LoggingEvent event = event(Level.INFO, "hello", null);
    event.setMDCPropertyMap(
        Map.of(CloudLoggingLayout.MDC_TRACE, "0af7651916cd43dd8448eb211c80319c"));

    JsonNode json = Json.parse(layout(event, ""));

    assertEquals("0af7651916cd43dd8448eb211c80319c", json.get("trace_id").getStringValue());
    assertEquals(null, json.get("logging.googleapis.com/trace"));
  }

  @Test
  void writesKeyValuePairsAsTypedFields() {
    LoggingEvent event = event(Level.INFO, "POST /predict 400", null);
    event.setKeyValuePairs(
        List.of(
            new KeyValuePair("status", 400),
            new KeyValuePair("latency_ms", 0.25),
            new KeyValuePair("path", "/predict")));

    JsonNode json = Json.parse(layout(event, ""));

    assertEquals(400, json.get("status").getIntValue());
    assertEquals(0.25, json.get("latency_ms").getDoubleValue());
    assertEquals("/predict", json.get("path").getStringValue());
  }

  @Test
  void putsTheStackTraceInsideTheMessageForErrorReporting() {
    String line = layout(event(Level.ERROR, "boom", new IllegalStateException("broken")), "");

    String message = Json.parse(line).get("message").getStringValue();
    assertTrue(message.startsWith("boom\njava.lang.IllegalStateException: broken"), message);
    assertFalse(line.substring(0, line.length() - 1).contains("\n"), "one physical line");
  }

  @Test
  void namesTheCloudRunServiceRevisionAndConfigurationAsTheEntrysLabels() {
    CloudLoggingLayout layout = new CloudLoggingLayout();
    layout.setContext(context);
    layout.setService("prediction-function");
    layout.setRevision("prediction-function-v1-2-3-0a1b2c3d");
    layout.setConfiguration("prediction-function");
    layout.start();
    JsonNode line = Json.parse(layout.doLayout(event(Level.INFO, "hello", null)));

    JsonNode labels = line.get("logging.googleapis.com/labels");
    assertEquals("prediction-function", labels.get("service").getStringValue());
    assertEquals("prediction-function-v1-2-3-0a1b2c3d", labels.get("revision").getStringValue());
    assertEquals("prediction-function", labels.get("configuration").getStringValue());
  }

  @Test
  void outsideCloudRunThereAreNoLabels() {
    String line = layout(event(Level.INFO, "hello", null), "");
    assertFalse(line.contains("logging.googleapis.com/labels"), line);
  }
}
