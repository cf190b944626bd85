package dev.predictfn.records;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Prediction records ({@code predict.records.*}, set by {@code PREDICTION_LOG_SAMPLE} and {@code
 * PREDICTION_LOG_FEATURES}; docs/operations.md says what they are for and what they cost).
 *
 * @param sample the share of scored rows that get a record, from 0 (none) to 1 (every row)
 * @param features whether a record carries the row's features (the privacy choice: without them
 *     records still join with feedback into online accuracy, but cannot show which inputs the model
 *     got wrong)
 */
@ConfigurationProperties("predict.records")
public record RecordConfiguration(
    @Bindable(defaultValue = "0.1") double sample,
    @Bindable(defaultValue = "true") boolean features) {

  /** Refuses a sampling rate outside [0, 1], naming the variable that sets it. */
  public RecordConfiguration {
    if (!(sample >= 0 && sample <= 1)) {
      throw new IllegalArgumentException(
          "PREDICTION_LOG_SAMPLE must be a number from 0 to 1 (the share of rows recorded),"
              + " but it is "
              + sample
              + ".");
    }
  }
}
