package dev.predictfn.protocol.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.bundle.InputSchema;
import dev.predictfn.bundle.ModelCardJson;
import dev.predictfn.http.ApiException;
import dev.predictfn.support.Bundles;
import dev.predictfn.support.JsonNumbers;
import dev.predictfn.training.TrainingFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The BigQuery route's fast path ({@link DirectCalls}) changes nothing but speed: over request
 * bodies of good and odd calls (NULLs, numbers as strings, unknown categories, wrong argument
 * counts, escapes, nested arrays, every spacing, more calls than allowed, fields after the calls,
 * broken JSON), decoding with it and without it gives the same rows bit for bit and the same first
 * NULL, or the same error, status and words.
 */
class DirectCallsTest {
  private static final int MAX_CALLS = 30;

  @Test
  void bodiesDecodeTheSameWithTheFastPathAsWithout() throws Exception {
    RemoteCallsDecoder decoder =
        new RemoteCallsDecoder(new BigQueryConfiguration(MAX_CALLS, 1 << 20), null);
    InputSchema iris = Bundles.readBuiltIn().schema();
    InputSchema churn =
        InputSchema.of(
            new ModelCardJson()
                .read(
                    Files.readAllBytes(
                        TrainingFixtures.CHURN_SPEC.resolveSibling(
                            "reference/churn-sgd.model-card.json"))));
    for (InputSchema schema : List.of(iris, churn)) {
      SplittableRandom random = new SplittableRandom(schema.size());
      int direct = 0;
      int bodies = 4_000;
      for (int n = 0; n < bodies; n++) {
        int[] callsAt = {-1};
        byte[] body = body(random, schema, callsAt).getBytes(StandardCharsets.UTF_8);
        String fast = outcome(decoder, body, schema, true);
        String general = outcome(decoder, body, schema, false);
        assertEquals(general, fast, new String(body, StandardCharsets.UTF_8));
        if (callsAt[0] >= 0 && DirectCalls.read(body, callsAt[0], schema, MAX_CALLS) != null) {
          direct++;
        }
      }
      assertTrue(direct > bodies / 5, "bodies whose calls the fast path reads: " + direct);
      assertTrue(direct < bodies * 9 / 10, "bodies it leaves to Jackson: " + (bodies - direct));
    }
  }

  /** What decoding gives, as text: the calls (each number's bits) or the error. */
  private static String outcome(
      RemoteCallsDecoder decoder, byte[] body, InputSchema schema, boolean direct) {
    RemoteCalls calls;
    try {
      calls = decoder.decode(body, schema, direct);
    } catch (ApiException e) {
      return "error " + e.status().getCode() + ": " + e.getMessage();
    }
    StringBuilder out =
        new StringBuilder()
            .append(calls.requestId())
            .append(' ')
            .append(calls.context())
            .append(' ')
            .append(calls.firstNull());
    for (double[] row : calls.rows()) {
      out.append('\n');
      if (row == null) {
        out.append("null");
        continue;
      }
      for (double value : row) {
        out.append(Long.toHexString(Double.doubleToRawLongBits(value))).append(' ');
      }
    }
    return out.toString();
  }

  /** A request body; {@code callsAt[0]} is set to where its calls array opens. */
  private static String body(SplittableRandom random, InputSchema schema, int[] callsAt) {
    String space = List.of("", "", " ", "\n  ", "\t").get(random.nextInt(5));
    List<String> fields = new ArrayList<>();
    fields.add("\"requestId\":\"r-" + random.nextInt(1000) + "\"");
    fields.add("\"caller\":\"//bigquery.googleapis.com/projects/p/jobs/j\"");
    if (random.nextBoolean()) {
      fields.add(
          "\"userDefinedContext\":"
              + List.of("{\"return\":\"label\"}", "null", "{}", "{\"return\":\"json\"}")
                  .get(random.nextInt(4)));
    }
    java.util.Collections.shuffle(fields, new java.util.Random(random.nextLong()));
    StringBuilder out = new StringBuilder("{").append(space);
    for (String field : fields) {
      out.append(field).append(',').append(space);
    }
    out.append("\"calls\":").append(space);
    callsAt[0] = out.length();
    out.append(calls(random, schema, space));
    switch (random.nextInt(25)) {
      case 0 -> out.append(",\"sessionUser\":\"u\"");
      case 1 -> out.append(",\"calls\":[]");
      case 2 -> out.append(",\"calls\":[[1]]");
      default -> {}
    }
    out.append(space).append('}');
    return switch (random.nextInt(40)) {
      case 0 -> out + " x";
      case 1 -> out.substring(0, out.length() - 1);
      case 2 -> out + "\n";
      default -> out.toString();
    };
  }

  private static String calls(SplittableRandom random, InputSchema schema, String space) {
    if (random.nextInt(30) == 0) {
      return List.of("{}", "null", "[]", "[[]]", "[1]", "\"[]\"").get(random.nextInt(6));
    }
    int count = random.nextInt(12) == 0 ? MAX_CALLS + random.nextInt(2) : random.nextInt(8);
    List<String> calls = new ArrayList<>();
    for (int c = 0; c < count; c++) {
      List<String> arguments = new ArrayList<>();
      for (int f = 0; f < schema.size(); f++) {
        arguments.add(argument(random, schema, f));
      }
      if (random.nextInt(60) == 0) {
        arguments.remove(arguments.size() - 1);
      } else if (random.nextInt(60) == 0) {
        arguments.add("1");
      }
      calls.add("[" + space + String.join("," + space, arguments) + space + "]");
    }
    String array = "[" + String.join("," + space, calls) + "]";
    return random.nextInt(50) == 0 ? array.replace("]]", "],]") : array;
  }

  private static String argument(SplittableRandom random, InputSchema schema, int f) {
    if (random.nextInt(80) == 0) {
      return "null";
    }
    if (schema.isCategorical(f)) {
      List<String> known = schema.categories(f);
      return random.nextInt(12) == 0
          ? List.of("\"unseen\"", "\"\"", "3", "true", "\"\\u0041\"", "\"Ünseen\"", "[\"a\"]")
              .get(random.nextInt(7))
          : "\"" + known.get(random.nextInt(known.size())) + "\"";
    }
    return random.nextInt(15) == 0
        ? List.of(
                "\"5.1\"",
                "\"12345678901234567890\"",
                "\"NaN\"",
                "01",
                "1.",
                "-",
                "1e400",
                "-0",
                "-0.0",
                "true",
                "[1]",
                "\"x\"",
                "+1",
                "NaN")
            .get(random.nextInt(14))
        : JsonNumbers.random(random);
  }
}
