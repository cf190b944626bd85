package dev.predictfn.records;

import jakarta.inject.Singleton;
import java.io.OutputStream;

/**
 * Where records go: the process's stdout, which Cloud Run hands to Cloud Logging line by line
 * (docs/operations.md: the sinks route them from there). A bean so that tests can read them.
 */
@Singleton
public class RecordOutput {
  /** The stream records are written to. */
  public OutputStream stream() {
    return System.out;
  }
}
