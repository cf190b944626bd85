package dev.predictfn.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * Logback layout writing one JSON object per line in the shape Cloud Logging parses from stdout:
 * {@code severity}, {@code message}, {@code time}, the request's trace as {@code
 * logging.googleapis.com/trace} (plus {@code spanId} and {@code trace_sampled}) when the MDC
 * carries one, and the Cloud Run service, revision and configuration as the entry's labels.
 *
 * <p>Chosen over micronaut-gcp-logging's layout, which needs google-cloud-core, gax, guava and the
 * auth library (about 12 MB) and asks the metadata server for the project at start-up. Key-value
 * pairs from SLF4J's fluent API become typed JSON fields.
 */
public final class CloudLoggingLayout extends LayoutBase<ILoggingEvent> {
  /** MDC key of the trace id (32 hex digits). */
  public static final String MDC_TRACE = "trace";

  /** MDC key of the span id (16 hex digits). */
  public static final String MDC_SPAN = "spanId";

  /** MDC key of the sampling decision ({@code "true"} or {@code "false"}). */
  public static final String MDC_SAMPLED = "traceSampled";

  private static final JsonFactory JSON = new JsonFactory();

  private final ThrowableProxyConverter stackTraces = new ThrowableProxyConverter();
  private String projectId = "";
  private final Map<String, String> labels = new LinkedHashMap<>();

  /**
   * The Google Cloud project of the traces; without it the trace id is logged as {@code trace_id}.
   */
  public void setProjectId(String projectId) {
    this.projectId = projectId == null ? "" : projectId.trim();
  }

  /**
   * The Cloud Run service ({@code K_SERVICE}); with the two below, written as the entry's labels.
   */
  public void setService(String service) {
    label("service", service);
  }

  /** The Cloud Run revision ({@code K_REVISION}). */
  public void setRevision(String revision) {
    label("revision", revision);
  }

  /** The Cloud Run configuration ({@code K_CONFIGURATION}). */
  public void setConfiguration(String configuration) {
    label("configuration", configuration);
  }

  private void label(String name, String value) {
    if (value == null || value.isBlank()) {
      labels.remove(name);
    } else {
      labels.put(name, value.trim());
    }
  }

  @Override
  public void start() {
    stackTraces.start();
    super.start();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("severity", severity(event.getLevel()));
      json.writeStringField("message", message(event));
      json.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("thread", event.getThreadName());
      writeTrace(json, event.getMDCPropertyMap());
      if (!labels.isEmpty()) {
        // LogEntry.labels: which service, revision and configuration said it, so a rollout's
        // new revision can be compared with the old one line by line.
        json.writeObjectFieldStart("logging.googleapis.com/labels");
        for (Map.Entry<String, String> label : labels.entrySet()) {
          json.writeStringField(label.getKey(), label.getValue());
        }
        json.writeEndObject();
      }
      if (event.getKeyValuePairs() != null) {
        for (KeyValuePair pair : event.getKeyValuePairs()) {
          json.writeFieldName(pair.key);
          writeValue(json, pair.value);
        }
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.append('\n').toString();
  }

  private String message(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    if (event.getThrowableProxy() == null) {
      return message;
    }
    // Cloud Error Reporting finds stack traces inside the message field.
    return message + "\n" + stackTraces.convert(event);
  }

  private void writeTrace(JsonGenerator json, Map<String, String> mdc) throws IOException {
    String trace = mdc.get(MDC_TRACE);
    if (trace == null) {
      return;
    }
    if (projectId.isEmpty()) {
      json.writeStringField("trace_id", trace);
    } else {
      json.writeStringField(
          "logging.googleapis.com/trace", "projects/" + projectId + "/traces/" + trace);
    }
    String span = mdc.get(MDC_SPAN);
    if (span != null) {
      json.writeStringField("logging.googleapis.com/spanId", span);
    }
    String sampled = mdc.get(MDC_SAMPLED);
    if (sampled != null) {
      json.writeBooleanField("logging.googleapis.com/trace_sampled", Boolean.parseBoolean(sampled));
    }
  }

  private static void writeValue(JsonGenerator json, Object value) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof Integer || value instanceof Long) {
      json.writeNumber(((Number) value).longValue());
    } else if (value instanceof Number number) {
      json.writeNumber(number.doubleValue());
    } else if (value instanceof Boolean bool) {
      json.writeBoolean(bool);
    } else {
      json.writeString(value.toString());
    }
  }

  /** Cloud Logging's LogSeverity names. */
  static String severity(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> "ERROR";
      case Level.WARN_INT -> "WARNING";
      case Level.INFO_INT -> "INFO";
      default -> "DEBUG";
    };
  }
}
