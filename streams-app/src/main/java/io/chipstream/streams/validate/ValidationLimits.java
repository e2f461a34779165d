package io.chipstream.streams.validate;

import java.time.Duration;

/**
 * What counts as absurd. The defaults are far beyond any real request or sample.
 *
 * @param maxTokens most prompt or output tokens one request may have
 * @param maxFutureSkew how far past the wall clock an event time may be
 * @param maxInterval longest telemetry interval
 * @param maxPowerWatts most average power one telemetry sample may report
 */
public record ValidationLimits(int maxTokens, Duration maxFutureSkew, Duration maxInterval,
    double maxPowerWatts) {
  public static final ValidationLimits DEFAULT = new ValidationLimits(2_000_000,
      Duration.ofMinutes(5), Duration.ofHours(1), 1_000_000);
}
