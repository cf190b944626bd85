package dev.predictfn.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert policies in {@code cloudrun/alerts/} are well-formed Cloud Monitoring AlertPolicy
 * documents (gcloud reads the file only after it has credentials, so it cannot check them here),
 * watch this service, match what the service really logs, and send the on-call engineer to a
 * RUNBOOK.md section that exists.
 */
class AlertPoliciesTest {
  private static final Path ALERTS = Path.of("cloudrun", "alerts");
  private static final Set<String> TOP_LEVEL =
      Set.of("displayName", "combiner", "conditions", "alertStrategy", "documentation");
  private static final Set<String> CLOUD_RUN_METRICS =
      Set.of("run.googleapis.com/request_count", "run.googleapis.com/request_latencies");
  private static final Pattern RUNBOOK_SECTION = Pattern.compile("RUNBOOK\\.md, \"([^\"]+)\"");

  @Test
  @SuppressWarnings("unchecked")
  void everyPolicyIsWellFormedAndPointsAtTheRunbook() throws Exception {
    String runbook = Files.readString(Path.of("RUNBOOK.md"));
    List<Path> files;
    try (Stream<Path> list = Files.list(ALERTS)) {
      files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertEquals(6, files.size(), files.toString());
    for (Path file : files) {
      Map<String, Object> policy = new Yaml().load(Files.readString(file));
      assertTrue(
          TOP_LEVEL.containsAll(policy.keySet()), file + ": unknown fields " + policy.keySet());
      assertTrue(
          ((String) policy.get("displayName")).startsWith("prediction-function "), file.toString());
      assertEquals("OR", policy.get("combiner"), file.toString());
      List<Map<String, Object>> conditions = (List<Map<String, Object>>) policy.get("conditions");
      assertEquals(1, conditions.size(), file.toString());
      Map<String, Object> condition = conditions.get(0);
      assertTrue(condition.get("displayName") instanceof String, file.toString());
      Map<String, Object> threshold = (Map<String, Object>) condition.get("conditionThreshold");
      Map<String, Object> log = (Map<String, Object>) condition.get("conditionMatchedLog");
      Map<String, Object> promql =
          (Map<String, Object>) condition.get("conditionPrometheusQueryLanguage");
      assertEquals(
          1,
          (threshold == null ? 0 : 1) + (log == null ? 0 : 1) + (promql == null ? 0 : 1),
          file + ": exactly one kind of condition");
      Map<String, Object> strategy = (Map<String, Object>) policy.get("alertStrategy");
      if (threshold != null) {
        assertWatchesTheService(file, (String) threshold.get("filter"));
        Matcher metric =
            Pattern.compile("metric\\.type = \"([^\"]+)\"")
                .matcher((String) threshold.get("filter"));
        assertTrue(metric.find() && CLOUD_RUN_METRICS.contains(metric.group(1)), file + ": metric");
        assertTrue(((String) threshold.get("duration")).matches("\\d+s"), file + ": duration");
        assertTrue(Set.of("COMPARISON_GT", "COMPARISON_LT").contains(threshold.get("comparison")));
        assertTrue(threshold.get("thresholdValue") instanceof Number, file + ": threshold");
        for (Map<String, Object> aggregation :
            (List<Map<String, Object>>) threshold.get("aggregations")) {
          assertTrue(((String) aggregation.get("alignmentPeriod")).matches("\\d+s"));
          assertTrue(((String) aggregation.get("perSeriesAligner")).startsWith("ALIGN_"));
          assertTrue(((String) aggregation.get("crossSeriesReducer")).startsWith("REDUCE_"));
        }
      } else if (promql != null) {
        // Managed Prometheus: the query names a gauge this service exports (DriftMonitor).
        String query = (String) promql.get("query");
        Matcher gauge = Pattern.compile("(prediction_[a-z_]+)").matcher(query);
        assertTrue(gauge.find(), file + ": " + query);
        String micrometerName = gauge.group(1).replace('_', '.');
        assertTrue(
            Files.readString(Path.of("src/main/java/dev/predictfn/monitoring/DriftMonitor.java"))
                .contains("\"" + micrometerName + "\""),
            file + ": the service exports " + gauge.group(1));
        assertTrue(((String) promql.get("duration")).matches("\\d+s"), file + ": duration");
        assertTrue(((String) promql.get("evaluationInterval")).matches("\\d+s"), file.toString());
      } else {
        assertWatchesTheService(file, (String) log.get("filter"));
        // Cloud Monitoring refuses log-based policies without a notification rate limit.
        assertTrue(
            ((Map<String, Object>) strategy.get("notificationRateLimit")).get("period") != null,
            file + ": notificationRateLimit");
      }
      Map<String, Object> documentation = (Map<String, Object>) policy.get("documentation");
      assertEquals("text/markdown", documentation.get("mimeType"));
      Matcher section = RUNBOOK_SECTION.matcher((String) documentation.get("content"));
      assertTrue(section.find(), file + " names a RUNBOOK.md section");
      do {
        assertTrue(
            runbook.contains("\n## " + section.group(1) + "\n"),
            file + ": RUNBOOK.md has no section \"" + section.group(1) + "\"");
      } while (section.find());
    }
  }

  @Test
  void theLogBasedPoliciesMatchWhatTheServiceLogs() throws Exception {
    String serving =
        Files.readString(Path.of("src/main/java/dev/predictfn/model/ServingModel.java"));
    assertTrue(
        serving.contains("\"Model bundle at {} rejected"),
        "the log line model-rejected.yaml matches");
    assertTrue(
        Files.readString(ALERTS.resolve("model-rejected.yaml"))
            .contains("jsonPayload.message =~ \"^Model bundle at .* rejected\""));
    assertTrue(
        Files.readString(Path.of("src/main/image/jvm.options"))
            .contains("-XX:+ExitOnOutOfMemoryError"),
        "out-of-memory.yaml relies on the JVM exiting on OutOfMemoryError");
    // EvaluateCommandTest checks that the evaluate job's ERROR line matches this filter.
    assertTrue(
        Files.readString(ALERTS.resolve("online-accuracy.yaml"))
            .contains("jsonPayload.message =~ \"^Online accuracy of revision .* dropped\""));
    assertTrue(
        Files.readString(Path.of("cloudrun/evaluate-job.sh"))
            .contains("job=\"${job:-$CLOUD_RUN_SERVICE-evaluate}\""),
        "the job the policy watches is the one evaluate-job.sh deploys");
  }

  private static void assertWatchesTheService(Path file, String filter) {
    if (filter.contains("resource.type = \"cloud_run_job\"")) {
      // The service's own jobs (cloudrun/evaluate-job.sh): named after the service.
      assertTrue(
          filter.contains("resource.labels.job_name = \"prediction-function-"),
          file + ": " + filter);
      return;
    }
    assertTrue(filter.contains("resource.type = \"cloud_run_revision\""), file + ": " + filter);
    assertTrue(
        filter.contains("resource.labels.service_name = \"prediction-function\""),
        file + ": " + filter);
  }
}
