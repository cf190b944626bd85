package dev.predictfn.records;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Prediction ids: version 7 UUIDs (RFC 9562), 48 bits of Unix milliseconds then 74 random bits, so
 * ids sort by time (a partitioned table or a log stays in order) and instances and revisions never
 * need to agree on anything to stay distinct. The random bits come from the thread's generator
 * mixed with a salt drawn once per process from {@link SecureRandom}: two processes whose
 * generators were seeded alike still draw different ids, and the hot path never waits on the
 * system's entropy.
 */
public final class PredictionIds {
  private static final long PROCESS_SALT = new SecureRandom().nextLong();

  private PredictionIds() {}

  /** A new id, such as {@code 0193a5f2-8e41-7c3a-9d2e-5b7f0c1a2b3c}. */
  public static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long millis = System.currentTimeMillis();
    long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long low = ((random.nextLong() ^ PROCESS_SALT) & 0x3FFF_FFFF_FFFF_FFFFL) | Long.MIN_VALUE;
    return new UUID(high, low).toString();
  }
}
