package dev.predictfn.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.Predictor;
import dev.predictfn.support.Bundles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code predictions_total} counts each predicted label once per row, whether the result knows its
 * label's position (a predictor's) or only its label (one made otherwise), and each row of a batch
 * scored into arrays.
 */
class PredictionMetricsTest {
  @Test
  void countsEveryRowUnderItsLabelByPositionOrByName() {
    Predictor predictor = new Predictor(Bundles.readBuiltIn());
    List<PredictionResult> results =
        new ArrayList<>(
            predictor.predictAll(
                List.of(
                    new double[] {5.1, 3.5, 1.4, 0.2},
                    new double[] {6.7, 3.0, 5.2, 2.3},
                    new double[] {6.0, 2.7, 4.1, 1.1},
                    new double[] {6.7, 3.0, 5.2, 2.3})));
    results.add(new PredictionResult("virginica", Map.of("virginica", 1.0)));
    results.add(new PredictionResult("unknown", Map.of("unknown", 1.0)));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PredictionMetrics metrics = new PredictionMetrics(registry);

    metrics.record(results);
    metrics.record(results.subList(0, 2));
    // A batch scored into arrays (BigQuery's) counts the same way.
    metrics.record(
        predictor.scoreAll(
            List.of(new double[] {6.0, 2.7, 4.1, 1.1}, new double[] {5.1, 3.5, 1.4, 0.2})));

    Map<String, Double> counted = new TreeMap<>();
    registry
        .find("predictions")
        .counters()
        .forEach(counter -> counted.put(counter.getId().getTag("label"), counter.count()));
    assertEquals(
        Map.of("setosa", 3.0, "versicolor", 2.0, "virginica", 4.0, "unknown", 1.0), counted);
  }
}
