package dev.predictfn.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.predictfn.support.JsonNumbers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonNumber}'s one pass ends where {@link JsonBytes#number} ends and reads what {@link
 * JsonBytes#numberValue} reads, bit for bit (which {@code JsonNumbersTest} holds to Jackson's): for
 * numbers of every shape, followed by what a body has after a number or by nothing, and for the
 * bytes that are no number or only begin one.
 */
class JsonNumberTest {
  @Test
  void readsWhereAndWhatTheTwoPassesRead() {
    SplittableRandom random = new SplittableRandom(7);
    JsonNumber number = new JsonNumber();
    List<String> after = List.of("", ",", "]", " ", "x");
    for (int n = 0; n < 200_000; n++) {
      String text = JsonNumbers.random(random) + after.get(random.nextInt(after.size()));
      agrees(number, text, 0);
      agrees(number, "[" + text, 1);
    }
  }

  @Test
  void edgesAndWhatIsNoNumber() {
    JsonNumber number = new JsonNumber();
    for (String text :
        List.of(
            "0",
            "-0",
            "0.0",
            "-0.0",
            "-0e5",
            "0e-5",
            "5.1",
            "-5.1",
            "123456789012345",
            "1234567890123456",
            "0.123456789012345",
            "0.1234567890123456",
            "12345678.9012345",
            "999999999999999.9",
            "9007199254740993",
            "1e400",
            "1e-400",
            "1E+2",
            "2.5e-3",
            "01",
            "00.5",
            "-",
            "--1",
            "+1",
            ".5",
            "1.",
            "1.e5",
            "1e",
            "1e+",
            "-.5",
            "",
            "x",
            "null",
            "1.5.5",
            "1,2")) {
      agrees(number, text, 0);
    }
  }

  private static void agrees(JsonNumber number, String text, int from) {
    byte[] json = text.getBytes(StandardCharsets.US_ASCII);
    int expectedEnd = JsonBytes.number(json, from, json.length);
    int end = number.read(json, from, json.length);
    assertEquals(expectedEnd, end, text);
    if (end >= 0) {
      assertEquals(
          Double.doubleToRawLongBits(JsonBytes.numberValue(json, from, end)),
          Double.doubleToRawLongBits(number.value()),
          text);
    }
  }
}
