package dev.predictfn.training;

/** Synthetic churn data for tests in any package. */
public final class ChurnTestData {
  private ChurnTestData() {}

  /** {@link ChurnDataGenerator}'s CSV for {@code rows}, {@code seed} and a price increase. */
  public static String generate(int rows, long seed, double priceIncrease) {
    return ChurnDataGenerator.generate(rows, seed, priceIncrease);
  }
}
