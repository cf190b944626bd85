package dev.predictfn.records;

import io.micronaut.core.annotation.Nullable;

/**
 * One ground-truth label for an earlier prediction, as it waits to be written.
 *
 * @param epochMillis when the label arrived
 * @param predictionId the id the prediction was answered with
 * @param label the true label
 * @param revision the Cloud Run revision that took the label ({@code ""} elsewhere)
 * @param trace the request's trace id, or {@code null}
 */
record FeedbackRecord(
    long epochMillis, String predictionId, String label, String revision, @Nullable String trace) {}
