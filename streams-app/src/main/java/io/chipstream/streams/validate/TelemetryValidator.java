package io.chipstream.streams.validate;

import static io.chipstream.streams.validate.RequestValidator.invalid;

import io.chipstream.avro.TelemetrySample;
import java.util.Optional;

/** The semantic checks of a {@code TelemetrySample}; plain code, no Kafka. */
public final class TelemetryValidator {
  private final ValidationLimits limits;

  public TelemetryValidator(ValidationLimits limits) {
    this.limits = limits;
  }

  /** Why {@code sample} under {@code key} is invalid, or empty if it is valid. */
  public Optional<Invalid> check(String key, TelemetrySample sample, long nowMs) {
    if (key == null || key.isEmpty()) {
      return invalid(RejectReason.MISSING_KEY, "the record has no key (expected the source id)");
    }
    if (sample.getSourceId().isBlank()) {
      return invalid(RejectReason.MISSING_FIELD, "sourceId is empty");
    }
    if (!key.equals(sample.getSourceId())) {
      return invalid(RejectReason.KEY_MISMATCH, "key '" + key + "' is not the sourceId '"
          + sample.getSourceId() + "'");
    }
    if (sample.getChipModel().isBlank()) {
      return invalid(RejectReason.MISSING_FIELD, "chipModel is empty");
    }
    double power = sample.getAvgPowerWatts();
    if (!Double.isFinite(power) || power < 0 || power > limits.maxPowerWatts()) {
      return invalid(RejectReason.INVALID_POWER, "avgPowerWatts " + power
          + " is not a finite number in 0.." + limits.maxPowerWatts());
    }
    long interval = sample.getIntervalMs();
    if (interval <= 0 || interval > limits.maxInterval().toMillis()) {
      return invalid(RejectReason.INVALID_INTERVAL, "intervalMs " + interval
          + " is outside 1.." + limits.maxInterval().toMillis());
    }
    double utilization = sample.getUtilization();
    if (!Double.isFinite(utilization) || utilization < 0 || utilization > 1) {
      return invalid(RejectReason.INVALID_UTILIZATION, "utilization " + utilization
          + " is outside 0..1");
    }
    if (sample.getTokensProcessed() < 0 || sample.getRequestsCompleted() < 0
        || sample.getChipCount() <= 0) {
      return invalid(RejectReason.INVALID_TOKENS, "negative counts: tokensProcessed "
          + sample.getTokensProcessed() + ", requestsCompleted " + sample.getRequestsCompleted()
          + ", chipCount " + sample.getChipCount());
    }
    long eventMs = sample.getTimestamp().toEpochMilli();
    if (eventMs > nowMs + limits.maxFutureSkew().toMillis()) {
      return invalid(RejectReason.FUTURE_TIMESTAMP, "timestamp " + sample.getTimestamp()
          + " is more than " + limits.maxFutureSkew() + " in the future");
    }
    return Optional.empty();
  }
}
