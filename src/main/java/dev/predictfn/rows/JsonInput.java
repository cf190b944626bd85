package dev.predictfn.rows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.util.OptionalDouble;

/**
 * Reading JSON documents (request bodies, JSON Lines) as trees, shared by every protocol and the
 * batch job: parse errors in words a caller can act on (Jackson's message and position, no class
 * names), and descriptions of wrong values.
 */
public final class JsonInput {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonInput() {}

  /** The body was not JSON; the message says why and where. */
  public static final class MalformedJsonException extends Exception {
    MalformedJsonException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses {@code body}; a body of JSON {@code null} gives {@code null}.
   *
   * @throws MalformedJsonException with a message such as "Unexpected end-of-input ... (line 1,
   *     column 18)"
   */
  @Nullable
  public static JsonNode parse(JsonMapper mapper, byte[] body) throws MalformedJsonException {
    JsonNode node;
    try {
      node = mapper.readValue(body, JsonNode.class);
    } catch (IOException | RuntimeException e) {
      throw new MalformedJsonException(describe(e));
    }
    requireNothingAfterTheValue(body);
    return node;
  }

  /**
   * A body is one JSON text (RFC 8259): the mapper stops after the first value, so whatever follows
   * it (a second document, stray characters) is found here and refused, naming where it starts.
   */
  private static void requireNothingAfterTheValue(byte[] body) throws MalformedJsonException {
    int next;
    try (JsonParser parser = JSON.createParser(body)) {
      parser.nextToken();
      parser.skipChildren();
      next = (int) parser.currentLocation().getByteOffset();
    } catch (IOException e) {
      throw new MalformedJsonException(describe(e));
    }
    requireBlankFrom(body, next);
  }

  /**
   * Refuses {@code body} unless everything from byte {@code next} on (where its one JSON value
   * ended, as a streaming parser reports it) is whitespace.
   */
  public static void requireBlankFrom(byte[] body, long next) throws MalformedJsonException {
    if (next < 0) {
      // Jackson counts bytes only when it reads UTF-8; it read this body as UTF-16 or UTF-32.
      throw new MalformedJsonException(
          "it is not UTF-8; JSON exchanged between systems is UTF-8 (RFC 8259, section 8.1)");
    }
    int at = (int) Math.min(next, body.length);
    while (at < body.length && isBlank(body[at])) {
      at++;
    }
    if (at < body.length) {
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at; i++) {
        if (body[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw new MalformedJsonException(
          "a body is one JSON value, but more data follows it at byte "
              + at
              + " (line "
              + line
              + ", column "
              + (at - lineStart + 1)
              + "); send exactly one JSON object");
    }
  }

  /** A streaming parser over {@code body}, for routes that read large bodies without a tree. */
  public static JsonParser streamingParser(byte[] body) throws IOException {
    return JSON.createParser(body);
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  /** Whether {@code body} is absent or only whitespace. */
  public static boolean isBlank(@Nullable byte[] body) {
    if (body == null) {
      return true;
    }
    for (byte b : body) {
      if (!isBlank(b)) {
        return false;
      }
    }
    return true;
  }

  /** The value as a finite double, or empty when it is not a finite JSON number. */
  public static OptionalDouble finiteNumber(@Nullable JsonNode value) {
    if (value != null && value.isNumber()) {
      double d = value.getDoubleValue();
      if (Double.isFinite(d)) {
        return OptionalDouble.of(d);
      }
    }
    return OptionalDouble.empty();
  }

  /** What a value is, for messages: "null", "the string \"abc\"", "an array", ... */
  public static String kind(@Nullable JsonNode node) {
    if (node == null || node.isNull()) {
      return "null";
    }
    if (node.isString()) {
      String value = node.getStringValue();
      return "the string \""
          + (value.length() <= 40 ? value : value.substring(0, 40) + "...")
          + "\"";
    }
    if (node.isBoolean()) {
      return "the boolean " + node.getBooleanValue();
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isNumber()) {
      return "a number out of range";
    }
    return "not a number";
  }

  /** What went wrong in a parse, in words for the caller: Jackson's message and position. */
  public static String describe(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof JsonProcessingException json) {
        String message = json.getOriginalMessage();
        int newline = message.indexOf('\n');
        if (newline > 0) {
          message = message.substring(0, newline);
        }
        if (message.startsWith("Non-standard token")) {
          // Jackson suggests enabling one of its features; the caller needs the JSON rule instead.
          int cut = message.indexOf(':');
          message =
              (cut > 0 ? message.substring(0, cut) : message)
                  + ": NaN and Infinity are not JSON numbers, send finite numbers only";
        }
        JsonLocation at = json.getLocation();
        return at == null
            ? message
            : message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      }
    }
    return "it could not be parsed.";
  }
}
