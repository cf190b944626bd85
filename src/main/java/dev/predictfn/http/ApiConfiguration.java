package dev.predictfn.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Limits of the prediction API ({@code predict.api.*}).
 *
 * @param maxBatchSize most rows one {@code instances} request may carry; more answers 413
 * @param maxBodyBytes largest request body accepted; larger answers 413 (the Netty server enforces
 *     the same limit through {@code micronaut.server.max-request-size})
 * @param requestReadTimeout longest time from a request's first byte to its last; a slower request
 *     answers 408 and loses its connection ({@link RequestReadDeadline})
 */
@Context // validated at start-up: a bad limit stops the process before it takes traffic
@ConfigurationProperties("predict.api")
public record ApiConfiguration(
    @Min(1) @Max(100_000) int maxBatchSize,
    @Min(1024) long maxBodyBytes,
    @NotNull Duration requestReadTimeout) {}
