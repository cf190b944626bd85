package dev.predictfn.training;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Writes a synthetic customer-churn table: deterministic for a seed (it uses only {@link Random},
 * whose algorithm Java specifies), with a learnable, realistic relation to churn and about a
 * quarter of customers churning.
 *
 * <p>{@code tools churn-data} writes it to a file.
 *
 * <p>Churn is drawn from a logistic model: short tenure, month-to-month contracts, high charges,
 * support calls, fiber internet, electronic checks, paperless billing and seniority raise it; long
 * contracts lower it. {@code --price-increase} adds that much to every monthly charge before churn
 * is drawn: a planted shift for drift checks.
 */
public final class ChurnDataGenerator {
  static final String HEADER =
      "tenure_months,monthly_charges,contract,internet_service,payment_method,"
          + "paperless_billing,senior_citizen,support_calls,churned";

  private static final Map<String, Double> CONTRACT_EFFECT =
      Map.of("month-to-month", 0.9, "one-year", -0.7, "two-year", -1.7);
  private static final List<String> PAYMENTS =
      List.of("electronic-check", "mailed-check", "bank-transfer", "credit-card");

  private ChurnDataGenerator() {}

  /** The CSV text: header and {@code rows} customers. */
  public static String generate(int rows, long seed, double priceIncrease) {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder(rows * 80).append(HEADER).append('\n');
    for (int i = 0; i < rows; i++) {
      int tenure = 1 + (int) (72 * Math.pow(random.nextDouble(), 1.4));
      double longContract = Math.min(0.85, tenure / 90.0);
      double u = random.nextDouble();
      String contract =
          u < 1 - longContract
              ? "month-to-month"
              : u < 1 - longContract / 2.5 ? "one-year" : "two-year";
      double v = random.nextDouble();
      String internet = v < 0.45 ? "fiber" : v < 0.8 ? "dsl" : "none";
      double base = internet.equals("fiber") ? 85 : internet.equals("dsl") ? 55 : 22;
      double charges =
          Math.max(15, base + random.nextGaussian() * (internet.equals("none") ? 3 : 12))
              + priceIncrease;
      charges = Math.round(charges * 100) / 100.0;
      String payment = PAYMENTS.get(pick(random, 0.35, 0.2, 0.22));
      boolean paperless = random.nextDouble() < 0.6;
      boolean senior = random.nextDouble() < 0.16;
      int calls = poisson(random, internet.equals("fiber") ? 1.8 : 1.1);

      double logit =
          -1.6
              - 0.045 * tenure
              + 0.03 * (charges - 65)
              + CONTRACT_EFFECT.get(contract)
              + 0.4 * calls
              + (internet.equals("fiber") ? 0.3 : 0)
              + (payment.equals("electronic-check") ? 0.6 : 0)
              + (paperless ? 0.3 : 0)
              + (senior ? 0.35 : 0);
      boolean churned = random.nextDouble() < 1 / (1 + Math.exp(-logit));
      csv.append(tenure)
          .append(',')
          .append(String.format(Locale.ROOT, "%.2f", charges))
          .append(',')
          .append(contract)
          .append(',')
          .append(internet)
          .append(',')
          .append(payment)
          .append(',')
          .append(paperless ? "yes" : "no")
          .append(',')
          .append(senior ? 1 : 0)
          .append(',')
          .append(calls)
          .append(',')
          .append(churned ? "yes" : "no")
          .append('\n');
    }
    return csv.toString();
  }

  /** Index 0, 1 or 2 with the given probabilities, else 3. */
  private static int pick(Random random, double p0, double p1, double p2) {
    double u = random.nextDouble();
    return u < p0 ? 0 : u < p0 + p1 ? 1 : u < p0 + p1 + p2 ? 2 : 3;
  }

  /** Knuth's Poisson sampler; fine for the small means used here. */
  private static int poisson(Random random, double mean) {
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    int k = 0;
    while (product > limit) {
      k++;
      product *= random.nextDouble();
    }
    return k;
  }
}
