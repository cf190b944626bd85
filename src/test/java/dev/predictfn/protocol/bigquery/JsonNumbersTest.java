package dev.predictfn.protocol.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.predictfn.rows.JsonInput;
import dev.predictfn.support.JsonNumbers;
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
      array.append(',').append(JsonNumbers.random(random));
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
}
