package dev.predictfn.protocol.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.predictfn.rows.JsonInput;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The BigQuery route reads each argument's number from its characters, and gets exactly what
 * Jackson's {@code getDoubleValue()} would: over JSON numbers of every shape (zeros of both signs,
 * long integers, long fractions, large and small exponents).
 */
class JsonNumbersTest {
  @Test
  void everyJsonNumberReadsAsJacksonReadsIt() throws Exception {
    SplittableRandom random = new SplittableRandom(11);
    StringBuilder array = new StringBuilder("[-0,0,-0.0,0.0,-0e5,9007199254740993,1e-400,1e400");
    for (int n = 0; n < 100_000; n++) {
      array.append(',').append(number(random));
    }
    byte[] json = array.append(']').toString().getBytes(StandardCharsets.US_ASCII);
    int numbers = 0;
    try (JsonParser ours = JsonInput.streamingParser(json);
        JsonParser jackson = JsonInput.streamingParser(json)) {
      ours.nextToken();
      jackson.nextToken();
      while (ours.nextToken() != JsonToken.END_ARRAY) {
        jackson.nextToken();
        numbers++;
        assertEquals(
            Double.doubleToRawLongBits(jackson.getDoubleValue()),
            Double.doubleToRawLongBits(RemoteCallsDecoder.number(ours)),
            ours.getText());
      }
    }
    assertEquals(100_008, numbers);
  }

  /** A JSON number: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
  private static String number(SplittableRandom random) {
    StringBuilder text = new StringBuilder(random.nextInt(3) == 0 ? "-" : "");
    int whole = random.nextInt(5) == 0 ? random.nextInt(25) : random.nextInt(3);
    if (whole == 0) {
      text.append('0');
    } else {
      text.append((char) ('1' + random.nextInt(9)));
      for (int i = 1; i < whole; i++) {
        text.append((char) ('0' + random.nextInt(10)));
      }
    }
    if (random.nextBoolean()) {
      text.append('.');
      int fraction = 1 + (random.nextInt(5) == 0 ? random.nextInt(25) : random.nextInt(4));
      for (int i = 0; i < fraction; i++) {
        text.append((char) ('0' + random.nextInt(10)));
      }
    }
    if (random.nextInt(5) == 0) {
      text.append(random.nextBoolean() ? 'e' : 'E').append(random.nextBoolean() ? "-" : "");
      text.append(random.nextInt(4) == 0 ? random.nextInt(400) : random.nextInt(30));
    }
    return text.toString();
  }
}
