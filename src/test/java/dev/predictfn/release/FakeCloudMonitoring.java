package dev.predictfn.release;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for Cloud Monitoring's {@code projects.timeSeries.list} on 127.0.0.1, for the canary
 * steps' tests. It knows the three metrics {@code cloudrun/canary.sh} reads, with their kinds, and
 * refuses a query the real API would refuse (no token, no or unknown metric type, an interval that
 * ends before it starts, an alignment period under 60 s, a percentile aligner on a counter, a
 * reducer without an aligner) with a 400 or 401 in the API's error shape. It answers each revision
 * with the samples a test scripted for it, in the real response shape (INT64 counts as strings,
 * latencies and Prometheus counters as doubles; {@code {}} when there is no data), one sample per
 * judged window: each query of a revision's request count moves it to its next sample, and the last
 * one repeats. Every query is kept for the test to read.
 */
final class FakeCloudMonitoring implements AutoCloseable {
  /**
   * What one revision did in one window; null fields have no data.
   *
   * @param requests Cloud Run's request count by response code class (2xx, 4xx, 5xx)
   * @param p99Ms Cloud Run's 99th percentile request latency
   * @param labels the service's predictions_total increase by predicted label
   */
  record Sample(Map<String, Long> requests, Double p99Ms, Map<String, Double> labels) {
    static final Sample NO_DATA = new Sample(null, null, null);

    static Sample healthy(long requests, double p99Ms, Map<String, Double> labels) {
      return new Sample(Map.of("2xx", requests), p99Ms, labels);
    }
  }

  private static final Map<String, String> KINDS =
      Map.of(
          "run.googleapis.com/request_count", "INT64",
          "run.googleapis.com/request_latencies", "DISTRIBUTION",
          "prometheus.googleapis.com/predictions_total/counter", "DOUBLE");
  private static final Pattern METRIC = Pattern.compile("metric\\.type=\"([^\"]+)\"");
  private static final Pattern REVISION =
      Pattern.compile(
          "(?:resource\\.labels\\.revision_name|metric\\.labels\\.revision)=\"([^\"]+)\"");
  private static final Set<String> ALIGNERS =
      Set.of(
          "ALIGN_DELTA", "ALIGN_RATE", "ALIGN_SUM", "ALIGN_PERCENTILE_99", "ALIGN_PERCENTILE_50");
  private static final Set<String> REDUCERS = Set.of("REDUCE_SUM", "REDUCE_MAX", "REDUCE_MEAN");

  private final HttpServer server;
  private final Map<String, List<Sample>> scripts = new LinkedHashMap<>();
  private final Map<String, Integer> windows = new LinkedHashMap<>();
  private final List<Map<String, String>> queries = Collections.synchronizedList(new ArrayList<>());

  FakeCloudMonitoring() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** REVISION answers SAMPLES, one per judged window, the last repeating. */
  synchronized void script(String revision, Sample... samples) {
    scripts.put(revision, List.of(samples));
    windows.remove(revision);
  }

  /** Every query answered so far, as its decoded parameters (plus "path"). */
  List<Map<String, String>> queries() {
    synchronized (queries) {
      return List.copyOf(queries);
    }
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> params = new LinkedHashMap<>();
      String raw = exchange.getRequestURI().getRawQuery();
      for (String pair : raw == null ? new String[0] : raw.split("&")) {
        int eq = pair.indexOf('=');
        params.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
      params.put("path", exchange.getRequestURI().getPath());
      queries.add(params);
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.startsWith("Bearer ") || auth.length() < 10) {
        error(exchange, 401, "UNAUTHENTICATED", "Request is missing required authentication.");
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")
          || !exchange.getRequestURI().getPath().matches("/v3/projects/[a-z0-9-]+/timeSeries")) {
        error(exchange, 404, "NOT_FOUND", "no such method " + exchange.getRequestURI().getPath());
        return;
      }
      String problem = invalid(params);
      if (problem != null) {
        error(exchange, 400, "INVALID_ARGUMENT", problem);
        return;
      }
      String metric = matched(METRIC, params.get("filter"));
      String revision = matched(REVISION, params.get("filter"));
      reply(exchange, 200, answer(metric, revision, params));
    }
  }

  private static String invalid(Map<String, String> params) {
    String filter = params.get("filter");
    if (filter == null || filter.isBlank()) {
      return "Field filter had an invalid value: a filter must be specified";
    }
    String metric = matched(METRIC, filter);
    if (metric == null || !KINDS.containsKey(metric)) {
      return "Cannot find metric(s) that match type = \"" + metric + "\".";
    }
    if (matched(REVISION, filter) == null) {
      return "the canary must name the revision in its filter: " + filter;
    }
    Instant start;
    Instant end;
    try {
      end = Instant.parse(params.getOrDefault("interval.endTime", ""));
      start = Instant.parse(params.getOrDefault("interval.startTime", end.toString()));
    } catch (DateTimeParseException e) {
      return "Field interval had an invalid value: " + e.getParsedString();
    }
    if (start.isAfter(end)) {
      return "Field interval.start_time had an invalid value: it is after end_time";
    }
    String aligner = params.get("aggregation.perSeriesAligner");
    String reducer = params.get("aggregation.crossSeriesReducer");
    if (reducer != null && (aligner == null || !REDUCERS.contains(reducer))) {
      return "Field aggregation.crossSeriesReducer: needs a per-series aligner; got " + reducer;
    }
    if (aligner != null) {
      if (!ALIGNERS.contains(aligner)) {
        return "Field aggregation.perSeriesAligner had an invalid value: " + aligner;
      }
      String period = params.getOrDefault("aggregation.alignmentPeriod", "");
      if (!period.matches("[0-9]+s") || Long.parseLong(period.replace("s", "")) < 60) {
        return "Field aggregation.alignmentPeriod had an invalid value of \"" + period + "\"";
      }
      boolean percentile = aligner.startsWith("ALIGN_PERCENTILE");
      if (percentile != KINDS.get(metric).equals("DISTRIBUTION")) {
        return "The aligner " + aligner + " is not valid for metrics of kind " + KINDS.get(metric);
      }
    }
    return null;
  }

  private String answer(String metric, String revision, Map<String, String> params) {
    List<Sample> script = scripts.getOrDefault(revision, List.of(Sample.NO_DATA));
    if (metric.equals("run.googleapis.com/request_count")) {
      windows.merge(revision, 1, Integer::sum);
    }
    int window = Math.max(0, windows.getOrDefault(revision, 1) - 1);
    Sample sample = script.get(Math.min(window, script.size() - 1));
    String interval =
        "{\"startTime\":\""
            + params.getOrDefault("interval.startTime", params.get("interval.endTime"))
            + "\",\"endTime\":\""
            + params.get("interval.endTime")
            + "\"}";
    List<String> series = new ArrayList<>();
    switch (metric) {
      case "run.googleapis.com/request_count" -> {
        if (sample.requests() != null) {
          sample
              .requests()
              .forEach(
                  (code, count) ->
                      series.add(
                          series(metric, "response_code_class", code, "DELTA", "INT64")
                              + "[{\"interval\":"
                              + interval
                              + ",\"value\":{\"int64Value\":\""
                              + count
                              + "\"}}]}"));
        }
      }
      case "run.googleapis.com/request_latencies" -> {
        if (sample.p99Ms() != null) {
          series.add(
              series(metric, null, null, "DELTA", "DOUBLE")
                  + "[{\"interval\":"
                  + interval
                  + ",\"value\":{\"doubleValue\":"
                  + sample.p99Ms()
                  + "}}]}");
        }
      }
      default -> {
        if (sample.labels() != null) {
          sample
              .labels()
              .forEach(
                  (label, count) ->
                      series.add(
                          series(metric, "label", label, "DELTA", "DOUBLE")
                              + "[{\"interval\":"
                              + interval
                              + ",\"value\":{\"doubleValue\":"
                              + count
                              + "}}]}"));
        }
      }
    }
    return series.isEmpty() ? "{}" : "{\"timeSeries\":[" + String.join(",", series) + "]}";
  }

  private static String series(
      String metric, String label, String value, String kind, String valueType) {
    String labels = label == null ? "{}" : "{\"" + label + "\":\"" + value + "\"}";
    return "{\"metric\":{\"type\":\""
        + metric
        + "\",\"labels\":"
        + labels
        + "},\"resource\":{\"type\":\"cloud_run_revision\",\"labels\":{}},\"metricKind\":\""
        + kind
        + "\",\"valueType\":\""
        + valueType
        + "\",\"points\":";
  }

  private static String matched(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text == null ? "" : text);
    return matcher.find() ? matcher.group(1) : null;
  }

  private static void error(HttpExchange exchange, int code, String status, String message)
      throws IOException {
    reply(
        exchange,
        code,
        "{\"error\":{\"code\":"
            + code
            + ",\"message\":\""
            + message.replace("\"", "\\\"")
            + "\",\"status\":\""
            + status
            + "\"}}");
  }

  private static void reply(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
