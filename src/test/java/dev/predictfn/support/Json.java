package dev.predictfn.support;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Parses response bodies in tests. */
public final class Json {
  private static final JsonMapper MAPPER = JsonMapper.createDefault();

  private Json() {}

  public static JsonNode parse(String json) {
    try {
      return MAPPER.readValue(json.getBytes(StandardCharsets.UTF_8), JsonNode.class);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + json, e);
    }
  }
}
