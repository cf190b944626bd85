package dev.predictfn.http;

import io.micronaut.http.HttpStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what is wrong with a request body, each with a JSON Pointer, and throws them as one 400
 * (at most {@value #MAX_ERRORS} listed), so a caller fixes a whole batch in one round trip.
 */
public final class FieldErrors {
  /** The most errors one problem lists. */
  public static final int MAX_ERRORS = 20;

  private final List<Problem.FieldError> list = new ArrayList<>();
  private int total;

  public void add(String pointer, String detail) {
    total++;
    if (list.size() < MAX_ERRORS) {
      list.add(new Problem.FieldError(pointer, detail));
    }
  }

  /** Whether nothing was found wrong. */
  public boolean isEmpty() {
    return total == 0;
  }

  /** The first {@value #MAX_ERRORS} problems. */
  public List<Problem.FieldError> list() {
    return List.copyOf(list);
  }

  public void throwIfAny() {
    if (total == 0) {
      return;
    }
    String detail =
        total == 1
            ? list.get(0).detail()
            : total
                + " problems in the request body (the first "
                + list.size()
                + " are listed in \"errors\"); the first: "
                + list.get(0).detail();
    throw new ProblemException(HttpStatus.BAD_REQUEST, detail, list);
  }
}
