package dev.predictfn.shadow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shadow gate's thresholds, read from {@code cloudrun/gates.env} (where each has its reason),
 * an environment variable of the same name winning over the file.
 *
 * @param maxQualityDrop SHADOW_MAX_QUALITY_DROP
 * @param minAgreement SHADOW_MIN_AGREEMENT
 * @param maxP99Ratio SHADOW_MAX_P99_RATIO
 * @param p99FloorMs SHADOW_P99_FLOOR_MS
 * @param concurrency SHADOW_CONCURRENCY
 * @param warmupRequests SHADOW_WARMUP_REQUESTS
 */
public record ShadowGates(
    double maxQualityDrop,
    double minAgreement,
    double maxP99Ratio,
    double p99FloorMs,
    int concurrency,
    int warmupRequests) {

  /** Reads FILE ({@code KEY=VALUE} lines, {@code #} comments), ENV overriding. */
  public static ShadowGates read(Path file, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        int equals = trimmed.indexOf('=');
        if (equals < 1) {
          throw new ComparisonException(file + ": not KEY=VALUE: " + line);
        }
        values.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
      }
    } catch (IOException e) {
      throw new ComparisonException("cannot read the gates file " + file + ": " + e);
    }
    for (String key : values.keySet()) {
      String override = env.get(key);
      if (override != null && !override.isBlank()) {
        values.put(key, override.strip());
      }
    }
    return new ShadowGates(
        number(values, file, "SHADOW_MAX_QUALITY_DROP", 0, 1),
        number(values, file, "SHADOW_MIN_AGREEMENT", 0, 1),
        number(values, file, "SHADOW_MAX_P99_RATIO", 1, Double.MAX_VALUE),
        number(values, file, "SHADOW_P99_FLOOR_MS", 0, Double.MAX_VALUE),
        (int) number(values, file, "SHADOW_CONCURRENCY", 1, 64),
        (int) number(values, file, "SHADOW_WARMUP_REQUESTS", 0, 100_000));
  }

  private static double number(
      Map<String, String> values, Path file, String key, double min, double max) {
    String value = values.get(key);
    if (value == null) {
      throw new ComparisonException(file + " does not set " + key);
    }
    double number;
    try {
      number = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new ComparisonException(key + " is '" + value + "', not a number");
    }
    if (!(number >= min && number <= max)) {
      throw new ComparisonException(key + " is " + value + ", outside [" + min + ", " + max + "]");
    }
    return number;
  }
}
