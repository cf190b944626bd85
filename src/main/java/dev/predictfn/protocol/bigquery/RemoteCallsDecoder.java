package dev.predictfn.protocol.bigquery;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.predictfn.bundle.InputSchema;
import dev.predictfn.http.ApiException;
import dev.predictfn.http.BodyLimits;
import dev.predictfn.rows.JsonBytes;
import dev.predictfn.rows.JsonInput;
import dev.predictfn.rows.RowReader;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a BigQuery remote-function request ({@code requestId}, {@code caller}, {@code sessionUser},
 * {@code userDefinedContext}, {@code calls}) into validated rows, streaming: a batch of tens of
 * thousands of calls never becomes a JSON tree. Each call is the function's arguments in the model
 * card's feature order, encoded as BigQuery's {@code TO_JSON_STRING} encodes them: a numeric
 * feature is a JSON number, or a string for INT64 beyond 2^53 and for NUMERIC; a categorical
 * feature is a string. The first problem fails the request and names the call, the argument and the
 * feature; unknown top-level fields are ignored, as the contract may grow.
 */
@Singleton
final class RemoteCallsDecoder {
  private final BigQueryConfiguration limits;
  private final BodyLimits bodyLimits;

  RemoteCallsDecoder(BigQueryConfiguration limits, BodyLimits bodyLimits) {
    this.limits = limits;
    this.bodyLimits = bodyLimits;
  }

  /** Decodes {@code body}, refusing it when it is empty or over the route's size limit. */
  RemoteCalls decode(HttpRequest<?> http, @Nullable byte[] body, InputSchema schema) {
    return decode(
        bodyLimits.require(http, body, "a JSON object with calls, as BigQuery does"), schema);
  }

  private RemoteCalls decode(byte[] body, InputSchema schema) {
    return decode(body, schema, true);
  }

  /**
   * Decodes {@code body}; when {@code direct}, reads a {@code calls} array that ends the body
   * straight from its bytes ({@link DirectCalls}), else every array with Jackson's tokens. Both
   * give the same calls, or the same error ({@code DirectCallsTest}).
   */
  RemoteCalls decode(byte[] body, InputSchema schema, boolean direct) {
    String requestId = null;
    Map<String, String> context = Map.of();
    Calls calls = null;
    try (JsonParser parser = JsonInput.streamingParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw ApiException.badRequest(
            "The request body must be a JSON object with calls, as BigQuery sends it.");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "requestId" -> {
            requestId = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            parser.skipChildren();
          }
          case "userDefinedContext" -> context = context(parser, value);
          case "calls" -> {
            RemoteCalls read =
                direct ? readDirectly(parser, body, schema, requestId, context) : null;
            if (read != null) {
              return read;
            }
            calls = calls(parser, value, schema, body.length);
          }
          default -> parser.skipChildren();
        }
      }
      JsonInput.requireBlankFrom(body, parser.currentLocation().getByteOffset());
    } catch (JsonInput.MalformedJsonException e) {
      throw ApiException.badRequest("The request body is not valid JSON: " + e.getMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("The request body is not valid JSON: " + JsonInput.describe(e));
    }
    if (calls == null) {
      throw ApiException.badRequest(
          "The request has no calls array; BigQuery sends one array of arguments per row.");
    }
    return new RemoteCalls(requestId, context, calls.rows, calls.firstNull);
  }

  /**
   * The request, when its calls array (the parser's current token) is the last thing in the body
   * and {@link DirectCalls} reads it; null when Jackson must read it.
   */
  private @Nullable RemoteCalls readDirectly(
      JsonParser parser,
      byte[] body,
      InputSchema schema,
      @Nullable String requestId,
      Map<String, String> context) {
    long at = parser.currentTokenLocation().getByteOffset();
    if (parser.currentToken() != JsonToken.START_ARRAY || at < 0 || at >= body.length) {
      return null; // not an array, or not UTF-8, whose offsets Jackson does not count
    }
    DirectCalls.Read read = DirectCalls.read(body, (int) at, schema, limits.maxCalls());
    if (read == null) {
      return null;
    }
    int close = JsonBytes.blank(body, read.end(), body.length);
    if (close == body.length
        || body[close] != '}'
        || JsonBytes.blank(body, close + 1, body.length) != body.length) {
      return null; // more fields follow: Jackson reads the rest, and the calls again
    }
    return new RemoteCalls(requestId, context, read.rows(), read.firstNull());
  }

  private static Map<String, String> context(JsonParser parser, JsonToken value)
      throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return Map.of();
    }
    if (value != JsonToken.START_OBJECT) {
      throw ApiException.badRequest("userDefinedContext must be an object of key-value pairs.");
    }
    Map<String, String> context = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      if (parser.nextToken() != JsonToken.VALUE_STRING) {
        throw ApiException.badRequest(
            "userDefinedContext " + key + " must be a string, as BigQuery sends it.");
      }
      context.put(key, parser.getText());
    }
    return context;
  }

  /** The rows so far and where the first NULL argument was. */
  private static final class Calls {
    final List<double[]> rows;
    @Nullable String firstNull;

    Calls(int expected) {
      this.rows = new ArrayList<>(expected);
    }
  }

  private Calls calls(JsonParser parser, JsonToken value, InputSchema schema, int bodyLength)
      throws IOException {
    if (value != JsonToken.START_ARRAY) {
      throw ApiException.badRequest("calls must be an array with one array of arguments per row.");
    }
    List<String> names = schema.names();
    // A call takes at least two brackets, a comma after it, and a digit and a comma per argument:
    // room for as many as the body can hold, so the list never grows.
    Calls calls = new Calls(Math.min(limits.maxCalls(), bodyLength / (2 * names.size() + 2) + 1));
    int call = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (call == limits.maxCalls()) {
        throw new ApiException(
            HttpStatus.REQUEST_ENTITY_TOO_LARGE,
            "This request has more than "
                + limits.maxCalls()
                + " calls, the most one request may carry (BIGQUERY_MAX_CALLS). Set"
                + " max_batching_rows to at most that in the function's OPTIONS"
                + " (cloudrun/bigquery-function.sh --max-batching-rows).");
      }
      if (parser.currentToken() != JsonToken.START_ARRAY) {
        throw ApiException.badRequest(
            "calls[" + call + "] must be an array of the function's arguments.");
      }
      double[] row = new double[names.size()];
      boolean hasNull = false;
      int argument = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (argument == row.length) {
          throw ApiException.badRequest(arity(call, names, argument + 1));
        }
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
          hasNull = true;
          if (calls.firstNull == null) {
            calls.firstNull = where(call, argument, names);
          }
        } else {
          row[argument] = value(parser, schema, call, argument);
        }
        argument++;
      }
      if (argument != row.length) {
        throw ApiException.badRequest(arity(call, names, argument));
      }
      calls.rows.add(hasNull ? null : row);
      call++;
    }
    return calls;
  }

  private static String arity(int call, List<String> names, int arguments) {
    return "calls["
        + call
        + "] has "
        + arguments
        + " arguments but the model takes "
        + names.size()
        + ", in the order "
        + names
        + "; create the function with exactly these arguments (cloudrun/bigquery-function.sh).";
  }

  /** How messages name argument {@code argument} of call {@code call}: built only for them. */
  static String where(int call, int argument, List<String> names) {
    return "calls[" + call + "][" + argument + "] (" + names.get(argument) + ")";
  }

  private static double value(JsonParser parser, InputSchema schema, int call, int f)
      throws IOException {
    JsonToken token = parser.currentToken();
    if (schema.isCategorical(f)) {
      if (token != JsonToken.VALUE_STRING) {
        throw ApiException.badRequest(
            where(call, f, schema.names())
                + " is categorical and must be a STRING, one of "
                + schema.categories(f)
                + "; CAST it AS STRING in the function's declaration.");
      }
      String category = parser.getText();
      int value = schema.categoryValue(f, category);
      if (value < (int) InputSchema.UNKNOWN_CATEGORY) {
        throw ApiException.badRequest(
            RowReader.unknownCategory(
                where(call, f, schema.names()), category, schema.categories(f)));
      }
      return value;
    }
    double number;
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      number = number(parser);
    } else if (token == JsonToken.VALUE_STRING) {
      // INT64 beyond 2^53 and NUMERIC arrive as decimal strings; FLOAT64's NaN and infinities as
      // "NaN", "Infinity" and "-Infinity", which the model cannot score.
      number = decimal(parser.getText(), call, f, schema);
    } else {
      throw ApiException.badRequest(
          where(call, f, schema.names())
              + " must be a number (FLOAT64, INT64 or NUMERIC), but it is "
              + kind(token)
              + ".");
    }
    if (!Double.isFinite(number)) {
      throw ApiException.badRequest(
          where(call, f, schema.names())
              + " is not a finite number; the model scores finite numbers only.");
    }
    return number;
  }

  /**
   * The current number token as {@link JsonParser#getDoubleValue()} gives it, bit for bit, read
   * from its characters, as ASCII bytes, without a string ({@link JsonBytes#numberValue}, which
   * also gives an integer's zero as +0, as Jackson does).
   */
  static double number(JsonParser parser) throws IOException {
    char[] text = parser.getTextCharacters();
    int start = parser.getTextOffset();
    byte[] ascii = new byte[parser.getTextLength()];
    for (int i = 0; i < ascii.length; i++) {
      char c = text[start + i];
      ascii[i] = c < 0x80 ? (byte) c : (byte) '?';
    }
    double number = JsonBytes.numberValue(ascii, 0, ascii.length);
    return Double.isNaN(number) ? parser.getDoubleValue() : number;
  }

  private static double decimal(String text, int call, int f, InputSchema schema) {
    try {
      return new BigDecimal(text).doubleValue();
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          where(call, f, schema.names())
              + " is \""
              + shorten(text)
              + "\", which is not a finite number; the model scores finite numbers only.");
    }
  }

  private static String kind(JsonToken token) {
    return switch (token) {
      case VALUE_TRUE, VALUE_FALSE -> "a BOOL";
      case START_ARRAY -> "an ARRAY";
      case START_OBJECT -> "an object";
      default -> "not a number";
    };
  }

  private static String shorten(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
