package dev.predictfn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {
  private static List<String> labels() {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      labels.add("a");
      labels.add(i < 20 ? "b" : "a");
    }
    return labels;
  }

  @Test
  void holdsOutTheSameFractionOfEveryClass() {
    List<String> labels = labels();
    StratifiedSplit split = StratifiedSplit.of(labels, 0.3, 1);

    assertEquals(24, split.test().stream().filter(i -> labels.get(i).equals("a")).count());
    assertEquals(6, split.test().stream().filter(i -> labels.get(i).equals("b")).count());
  }

  @Test
  void partitionsEveryRowExactlyOnce() {
    StratifiedSplit split = StratifiedSplit.of(labels(), 0.3, 1);
    List<Integer> all = new ArrayList<>(split.train());
    all.addAll(split.test());
    Collections.sort(all);

    assertEquals(100, new TreeSet<>(all).size());
    assertEquals(100, all.size());
  }

  @Test
  void sameSeedSameSplitOtherSeedOtherSplit() {
    assertEquals(StratifiedSplit.of(labels(), 0.3, 1), StratifiedSplit.of(labels(), 0.3, 1));
    assertNotEquals(StratifiedSplit.of(labels(), 0.3, 1), StratifiedSplit.of(labels(), 0.3, 2));
  }
}
