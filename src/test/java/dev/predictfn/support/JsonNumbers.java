package dev.predictfn.support;

import java.util.SplittableRandom;

/** Random JSON numbers of every shape, for the tests that read numbers without a JSON library. */
public final class JsonNumbers {
  private JsonNumbers() {}

  /**
   * A JSON number, {@code -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?}: zeros of both signs, long
   * integers, long fractions, large and small exponents.
   */
  public static String random(SplittableRandom random) {
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
