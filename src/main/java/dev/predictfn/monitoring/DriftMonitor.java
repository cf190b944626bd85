package dev.predictfn.monitoring;

import dev.predictfn.drift.FeatureBins;
import dev.predictfn.drift.Psi;
import dev.predictfn.model.ServingModel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bounded summary of recent request features and the drift gauges computed from it: {@code
 * prediction_feature_psi{feature}} (population stability index against the model card's training
 * split) and {@code prediction_feature_out_of_range_ratio{feature}} (share of values outside the
 * training range, or unseen categories), plus {@code prediction_drift_window_rows}.
 *
 * <p>Cheap on the request path: per row and feature one binary search over at most nine decile
 * edges and one atomic increment; no locks, no allocation. Memory is fixed: two half-windows of
 * counters. When the newer half-window has {@code windowRows / 2} rows it becomes the older one and
 * a fresh one starts, so the gauges always describe the last half to whole window. The gauges are
 * computed only when scraped.
 */
@Singleton
public final class DriftMonitor implements MeterBinder {
  private final List<FeatureBins> features;
  private final FeatureBins[] bins; // the same, for the per-row loop
  private final int[] offset;
  private final int slots;
  private final long halfWindow;
  private final long minRows;
  private final AtomicReference<Window> window;

  /** Counters of one half-window: per feature its bins, then its out-of-range count. */
  private record Counts(AtomicLongArray slots, AtomicLong rows) {}

  private record Window(Counts older, Counts newer) {}

  public DriftMonitor(ServingModel servingModel, DriftConfiguration configuration) {
    this.features =
        configuration.enabled() && servingModel.awaitLoad()
            ? FeatureBins.of(servingModel.predictor().schema())
            : List.of();
    this.bins = features.toArray(FeatureBins[]::new);
    this.offset = new int[features.size()];
    int next = 0;
    for (int f = 0; f < features.size(); f++) {
      offset[f] = next;
      next += features.get(f).size() + 1;
    }
    this.slots = next;
    this.halfWindow = Math.max(1, configuration.windowRows() / 2);
    this.minRows = configuration.minRows();
    this.window = new AtomicReference<>(new Window(fresh(), fresh()));
  }

  private Counts fresh() {
    return new Counts(new AtomicLongArray(slots), new AtomicLong());
  }

  /** Adds validated rows (card feature order) to the newer half-window. */
  public void observe(List<double[]> rows) {
    if (features.isEmpty()) {
      return;
    }
    Window current = window.get();
    AtomicLongArray counts = current.newer().slots();
    // Counted here first, then one atomic add per slot: a batch of thousands of rows costs a
    // request no more atomic operations than one row.
    long[] tally = new long[counts.length()];
    FeatureBins[] bins = this.bins;
    int[] offset = this.offset;
    for (int r = 0; r < rows.size(); r++) {
      double[] row = rows.get(r);
      for (int f = 0; f < bins.length; f++) {
        FeatureBins feature = bins[f];
        double value = row[f];
        tally[offset[f] + feature.bin(value)]++;
        if (feature.outOfRange(value)) {
          tally[offset[f] + feature.size()]++;
        }
      }
    }
    for (int slot = 0; slot < tally.length; slot++) {
      if (tally[slot] != 0) {
        counts.addAndGet(slot, tally[slot]);
      }
    }
    if (current.newer().rows().addAndGet(rows.size()) >= halfWindow) {
      // One thread wins the swap; rows counted into the old half meanwhile are kept there.
      window.compareAndSet(current, new Window(current.newer(), fresh()));
    }
  }

  /** Rows the gauges currently describe. */
  long windowRows() {
    Window current = window.get();
    return current.older().rows().get() + current.newer().rows().get();
  }

  /** PSI of feature {@code f} over the window, NaN below the minimum number of rows. */
  double psi(int f) {
    if (windowRows() < minRows) {
      return Double.NaN;
    }
    Window current = window.get();
    long[] counts = new long[features.get(f).size()];
    for (int b = 0; b < counts.length; b++) {
      counts[b] =
          current.older().slots().get(offset[f] + b) + current.newer().slots().get(offset[f] + b);
    }
    return Psi.of(features.get(f).expected(), counts);
  }

  /** Out-of-range share of feature {@code f} over the window, NaN below the minimum rows. */
  double outOfRange(int f) {
    long rows = windowRows();
    if (rows < minRows) {
      return Double.NaN;
    }
    Window current = window.get();
    int slot = offset[f] + features.get(f).size();
    return (double) (current.older().slots().get(slot) + current.newer().slots().get(slot)) / rows;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    if (features.isEmpty()) {
      return;
    }
    Gauge.builder("prediction.drift.window.rows", this, m -> m.windowRows())
        .description("Request rows the drift gauges describe (the last half to whole window)")
        .register(registry);
    for (int f = 0; f < features.size(); f++) {
      int feature = f;
      String name = features.get(f).name();
      Gauge.builder("prediction.feature.psi", this, m -> m.psi(feature))
          .description("Population stability index of recent requests against the training split")
          .tag("feature", name)
          .register(registry);
      Gauge.builder("prediction.feature.out.of.range.ratio", this, m -> m.outOfRange(feature))
          .description(
              "Share of recent request values outside the training range, or unseen categories")
          .tag("feature", name)
          .register(registry);
    }
  }
}
