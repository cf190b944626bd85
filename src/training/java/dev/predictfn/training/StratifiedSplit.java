package dev.predictfn.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded train/test split that holds out the same fraction of every class.
 *
 * <p>{@link Random} and {@link Collections#shuffle(List, Random)} have specified algorithms, so a
 * seed gives the same split on every JVM.
 *
 * @param train row indices used for training, ascending
 * @param test row indices held out for evaluation, ascending
 */
public record StratifiedSplit(List<Integer> train, List<Integer> test) {

  /** Splits {@code labels}' row indices, holding out {@code testFraction} of each class. */
  public static StratifiedSplit of(List<String> labels, double testFraction, long seed) {
    Map<String, List<Integer>> byClass = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      byClass.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(i);
    }
    Random random = new Random(seed);
    List<Integer> train = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    for (List<Integer> rows : byClass.values()) {
      Collections.shuffle(rows, random);
      int held = (int) Math.round(rows.size() * testFraction);
      test.addAll(rows.subList(0, held));
      train.addAll(rows.subList(held, rows.size()));
    }
    Collections.sort(train);
    Collections.sort(test);
    return new StratifiedSplit(List.copyOf(train), List.copyOf(test));
  }
}
