package dev.predictfn.model;

import java.util.Map;

/**
 * One row's prediction.
 *
 * @param label the most probable label
 * @param probabilities each label's probability, in the card's label order; they sum to 1
 */
public record PredictionResult(String label, Map<String, Double> probabilities) {}
