package dev.predictfn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.support.Bundles;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Explanations are exact: they reproduce the model's scores and probabilities on every row. */
class LinearExplainerTest {
  private static final ModelBundle BUNDLE = Bundles.readBuiltIn();
  private static final LinearExplainer EXPLAINER =
      LinearExplainer.of(BUNDLE, BUNDLE.schema()).orElseThrow();
  private static final Predictor PREDICTOR = new Predictor(BUNDLE);

  private static List<double[]> irisRows() throws Exception {
    return dev.predictfn.training.TrainingFixtures.irisRows();
  }

  @Test
  void softmaxOfTheExplainedScoresIsTheModelsProbabilitiesOnAll150Rows() throws Exception {
    for (double[] row : irisRows()) {
      double[] scores = EXPLAINER.scores(row);
      double max = Double.NEGATIVE_INFINITY;
      for (double s : scores) {
        max = Math.max(max, s);
      }
      double sum = 0;
      for (double s : scores) {
        sum += Math.exp(s - max);
      }
      PredictionResult result = PREDICTOR.predict(row);
      List<String> labels = BUNDLE.card().labels();
      for (int c = 0; c < labels.size(); c++) {
        assertEquals(
            result.probabilities().get(labels.get(c)), Math.exp(scores[c] - max) / sum, 1e-12);
      }
    }
  }

  @Test
  void biasPlusContributionsIsThePredictedClassScore() throws Exception {
    for (PredictionResult result : PREDICTOR.explainAll(irisRows())) {
      Explanation explanation = result.explanation();
      assertEquals(result.label(), explanation.label());
      double total = explanation.bias();
      for (Explanation.Contribution c : explanation.contributions()) {
        assertEquals(c.weight() * c.value(), c.contribution(), 1e-15);
        total += c.contribution();
      }
      assertEquals(explanation.score(), total, 1e-12);
    }
  }

  @Test
  void contributionsCoverEveryFeatureLargestMagnitudeFirst() {
    Explanation explanation = EXPLAINER.explain(new double[] {5.9, 3.0, 4.2, 1.5}, "versicolor");

    List<Explanation.Contribution> contributions = explanation.contributions();
    assertEquals(BUNDLE.features().size(), contributions.size());
    assertTrue(
        contributions.stream()
            .map(Explanation.Contribution::feature)
            .toList()
            .containsAll(BUNDLE.features()));
    for (int i = 1; i < contributions.size(); i++) {
      assertTrue(
          Math.abs(contributions.get(i - 1).contribution())
              >= Math.abs(contributions.get(i).contribution()));
    }
  }
}
