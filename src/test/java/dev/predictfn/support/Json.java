package dev.predictfn.support;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Parses response bodies in tests. */
public final class Json {
  private static final JsonMapper MAPPER = JsonMapper.createDefault();

  /** A prediction id as the service hands them out: a version 7 UUID. */
  public static final String PREDICTION_ID =
      "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

  private Json() {}

  /**
   * {@code body} with every prediction id replaced by {@code "<id>"}: for comparing two answers
   * that differ only in their ids.
   */
  public static String withoutPredictionIds(String body) {
    return body.replaceAll(PREDICTION_ID, "<id>");
  }

  public static JsonNode parse(String json) {
    try {
      return MAPPER.readValue(json.getBytes(StandardCharsets.UTF_8), JsonNode.class);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + json, e);
    }
  }
}
