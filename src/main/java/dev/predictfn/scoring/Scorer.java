package dev.predictfn.scoring;

import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.bundle.ModelCard;
import dev.predictfn.model.ExplanationUnavailableException;
import dev.predictfn.model.ModelUnavailableException;
import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.Predictor;
import dev.predictfn.model.ScoredRows;
import dev.predictfn.model.ServingModel;
import dev.predictfn.model.UnscorableRowException;
import dev.predictfn.monitoring.DriftMonitor;
import dev.predictfn.monitoring.PredictionMetrics;
import dev.predictfn.records.PredictionLog;
import dev.predictfn.records.Protocol;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The one scoring seam under every protocol: validated rows in, one result per row out.
 *
 * <p>Protocol adapters ({@code /predict}, OIP, Vertex AI, ...) decode their own request shapes into
 * rows, call {@link #score}, and encode the results; this class alone gives each result its
 * prediction id, records the prediction metrics and a sample of prediction records, feeds drift
 * monitoring and turns the model's failures into {@link ScoringException}, so no protocol can
 * forget any of them. In plain code, an adapter does:
 *
 * <pre>{@code
 * Predictor predictor = scorer.predictor();           // 503 while no verified model is loaded
 * List<double[]> rows = decode(body, predictor.schema());
 * List<PredictionResult> results =
 *     scorer.score(predictor, rows, explain, Protocol.PREDICT, i -> "#/instances/" + i);
 * }</pre>
 *
 * <p>A failure is a {@link ScoringException}, which adapters let through: one handler answers it in
 * the path's error shape.
 */
@Singleton
public final class Scorer {
  private static final String UNAVAILABLE =
      "No verified model is loaded, so this instance cannot predict; the service log and"
          + " /health/readiness say why.";

  private final ServingModel servingModel;
  private final PredictionMetrics metrics;
  private final DriftMonitor drift;
  private final PredictionLog log;

  public Scorer(
      ServingModel servingModel, PredictionMetrics metrics, DriftMonitor drift, PredictionLog log) {
    this.servingModel = servingModel;
    this.metrics = metrics;
    this.drift = drift;
    this.log = log;
  }

  /** Whether a verified model is loaded. */
  public boolean isReady() {
    return servingModel.isReady();
  }

  /**
   * The serving model's predictor, whose schema decodes the request and which then scores it.
   *
   * @throws ScoringException {@link ScoringException.Reason#MODEL_UNAVAILABLE} while no verified
   *     model is loaded (the reason is in the log, not for callers)
   */
  public Predictor predictor() {
    try {
      return servingModel.predictor();
    } catch (ModelUnavailableException e) {
      throw new ScoringException(ScoringException.Reason.MODEL_UNAVAILABLE, UNAVAILABLE, "");
    }
  }

  /** The serving model's card, if a verified model is loaded (without waiting). */
  public Optional<ModelCard> card() {
    return servingModel.bundle().map(ModelBundle::card);
  }

  /**
   * Scores {@code rows} (already validated against {@code predictor.schema()}) in order, records
   * them for metrics, drift and (sampled) prediction records, and answers one result per row, each
   * with its prediction id.
   *
   * @param explain whether each result carries its per-feature contributions
   * @param protocol the protocol the rows arrived by, for the records
   * @param rowName how the protocol names row {@code i} in its errors (e.g. {@code #/instances/i})
   * @throws IllegalArgumentException when {@code protocol} answers no ids ({@link
   *     Protocol#answersIds}; use {@link #scoreRows})
   * @throws ScoringException when a row cannot be scored or no explanation is possible
   */
  public List<PredictionResult> score(
      Predictor predictor,
      List<double[]> rows,
      boolean explain,
      Protocol protocol,
      IntFunction<String> rowName) {
    if (!protocol.answersIds()) {
      throw new IllegalArgumentException(protocol + " answers no ids: scoreRows() scores it");
    }
    List<PredictionResult> results;
    try {
      results = explain ? predictor.explainAll(rows) : predictor.predictAll(rows);
    } catch (UnscorableRowException e) {
      throw unscorable(e, rowName);
    } catch (ExplanationUnavailableException e) {
      throw new ScoringException(
          ScoringException.Reason.EXPLANATION_UNAVAILABLE, e.getMessage(), "");
    }
    drift.observe(rows);
    metrics.record(results);
    return log.identify(predictor, rows, results, protocol);
  }

  /**
   * Scores {@code rows} as {@link #score} does, without explanations, for a protocol that does not
   * answer prediction ids ({@link Protocol#answersIds}): the predictions come back in arrays
   * ({@link ScoredRows}), and only the sampled rows, whose ids are in their records, become result
   * objects. What BigQuery's batches of thousands of rows need.
   *
   * @throws IllegalArgumentException when {@code protocol} answers ids (use {@link #score})
   * @throws ScoringException when a row cannot be scored
   */
  public ScoredRows scoreRows(
      Predictor predictor, List<double[]> rows, Protocol protocol, IntFunction<String> rowName) {
    if (protocol.answersIds()) {
      throw new IllegalArgumentException(protocol + " answers ids: score() gives every row one");
    }
    ScoredRows scored;
    try {
      scored = predictor.scoreAll(rows);
    } catch (UnscorableRowException e) {
      throw unscorable(e, rowName);
    }
    drift.observe(rows);
    metrics.record(scored);
    log.record(predictor, rows, scored, protocol);
    return scored;
  }

  private static ScoringException unscorable(
      UnscorableRowException e, IntFunction<String> rowName) {
    return new ScoringException(
        ScoringException.Reason.UNSCORABLE_ROW, e.getMessage(), rowName.apply(e.row()));
  }
}
