package dev.predictfn.bundle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hex-encoded SHA-256, the digest every bundle and data file is identified by. */
public final class Sha256 {
  private Sha256() {}

  /** The lower-case hex SHA-256 of {@code bytes}. */
  public static String hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
