package dev.predictfn.monitoring;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Online drift monitoring ({@code predict.drift.*}, set by {@code DRIFT_ENABLED}, {@code
 * DRIFT_WINDOW_ROWS} and {@code DRIFT_MIN_ROWS}).
 *
 * @param enabled whether request features are summarised and the drift gauges exported
 * @param windowRows the gauges describe roughly the last {@code windowRows} rows (between half that
 *     and all of it: two half-windows, the older one dropped when the newer fills)
 * @param minRows below this many rows in the window the gauges read NaN rather than noise
 */
@ConfigurationProperties("predict.drift")
public record DriftConfiguration(
    @Bindable(defaultValue = "true") boolean enabled,
    @Bindable(defaultValue = "10000") int windowRows,
    @Bindable(defaultValue = "500") int minRows) {}
