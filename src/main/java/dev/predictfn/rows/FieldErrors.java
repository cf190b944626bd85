package dev.predictfn.rows;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects what is wrong with a request or a row, each with a JSON Pointer, so a caller fixes a
 * whole batch in one round trip; at most {@value #MAX_ERRORS} are kept, all are counted.
 */
public final class FieldErrors {
  /** The most errors one answer lists. */
  public static final int MAX_ERRORS = 20;

  private final List<FieldError> list = new ArrayList<>();
  private int total;

  public void add(String pointer, String detail) {
    total++;
    if (list.size() < MAX_ERRORS) {
      list.add(new FieldError(pointer, detail));
    }
  }

  /** Whether nothing was found wrong. */
  public boolean isEmpty() {
    return total == 0;
  }

  /** The first {@value #MAX_ERRORS} problems. */
  public List<FieldError> list() {
    return List.copyOf(list);
  }

  /** One sentence for them all: the only one, or how many there are and the first. */
  public String summary() {
    if (total == 0) {
      throw new IllegalStateException("nothing is wrong");
    }
    return total == 1
        ? list.get(0).detail()
        : total
            + " problems in the request body (the first "
            + list.size()
            + " are listed in \"errors\"); the first: "
            + list.get(0).detail();
  }
}
