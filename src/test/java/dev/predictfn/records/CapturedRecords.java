package dev.predictfn.records;

import dev.predictfn.support.Json;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Records written into memory instead of stdout, in contexts started with {@value #PROPERTY}. */
@Singleton
@Replaces(RecordOutput.class)
@Requires(property = CapturedRecords.PROPERTY, value = "true")
public class CapturedRecords extends RecordOutput {
  public static final String PROPERTY = "test.capture-records";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @Override
  public OutputStream stream() {
    return out;
  }

  /** Every line written so far, exactly as written. */
  public List<String> lines() {
    synchronized (out) {
      String text = out.toString(StandardCharsets.UTF_8);
      return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }
  }

  /**
   * Every record {@code context} has written once it has written at least {@code atLeast} (the
   * writer lets records gather for a few ms; this waits up to 5 s).
   */
  public static List<JsonNode> await(ApplicationContext context, long atLeast)
      throws InterruptedException {
    PredictionLog log = context.getBean(PredictionLog.class);
    for (int i = 0; i < 500 && log.written() < atLeast; i++) {
      Thread.sleep(10);
    }
    return context.getBean(CapturedRecords.class).records();
  }

  /**
   * Every record of the requests {@code context} has answered: its log is closed first, which
   * writes whatever is still queued (later records are written by their requests).
   */
  public static List<JsonNode> drained(ApplicationContext context) {
    context.getBean(PredictionLog.class).close();
    return context.getBean(CapturedRecords.class).records();
  }

  /** Every record written so far, parsed. */
  public List<JsonNode> records() {
    List<JsonNode> records = new ArrayList<>();
    for (String line : lines()) {
      records.add(Json.parse(line));
    }
    return records;
  }
}
