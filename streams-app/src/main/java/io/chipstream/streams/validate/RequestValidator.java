package io.chipstream.streams.validate;

import io.chipstream.avro.InferenceRequest;
import java.util.Optional;

/** The semantic checks of an {@code InferenceRequest}; plain code, no Kafka. */
public final class RequestValidator {
  private final ValidationLimits limits;

  public RequestValidator(ValidationLimits limits) {
    this.limits = limits;
  }

  /** Why {@code request} under {@code key} is invalid, or empty if it is valid. */
  public Optional<Invalid> check(String key, InferenceRequest request, long nowMs) {
    if (key == null || key.isEmpty()) {
      return invalid(RejectReason.MISSING_KEY, "the record has no key (expected the request id)");
    }
    if (request.getRequestId().isBlank()) {
      return invalid(RejectReason.MISSING_FIELD, "requestId is empty");
    }
    if (!key.equals(request.getRequestId())) {
      return invalid(RejectReason.KEY_MISMATCH, "key '" + key + "' is not the requestId '"
          + request.getRequestId() + "'");
    }
    if (request.getDeviceId().isBlank()) {
      return invalid(RejectReason.MISSING_FIELD, "deviceId is empty");
    }
    if (request.getDeviceChip().isBlank()) {
      return invalid(RejectReason.MISSING_FIELD, "deviceChip is empty");
    }
    int prompt = request.getPromptTokens();
    int output = request.getMaxOutputTokens();
    if (prompt < 0 || output < 0) {
      return invalid(RejectReason.INVALID_TOKENS, "negative token count: promptTokens "
          + prompt + ", maxOutputTokens " + output);
    }
    if (prompt == 0 && output == 0) {
      return invalid(RejectReason.INVALID_TOKENS, "a request with no tokens at all");
    }
    if (prompt > limits.maxTokens() || output > limits.maxTokens()) {
      return invalid(RejectReason.INVALID_TOKENS, "token count over " + limits.maxTokens()
          + ": promptTokens " + prompt + ", maxOutputTokens " + output);
    }
    long eventMs = request.getTimestamp().toEpochMilli();
    if (eventMs > nowMs + limits.maxFutureSkew().toMillis()) {
      return invalid(RejectReason.FUTURE_TIMESTAMP, "timestamp " + request.getTimestamp()
          + " is more than " + limits.maxFutureSkew() + " in the future");
    }
    int battery = request.getDeviceState().getBatteryPercent();
    if (battery < 0 || battery > 100) {
      return invalid(RejectReason.INVALID_DEVICE_STATE, "batteryPercent " + battery
          + " is outside 0..100");
    }
    Integer target = request.getLatencyTargetMs();
    if (target != null && target <= 0) {
      return invalid(RejectReason.INVALID_LATENCY_TARGET, "latencyTargetMs " + target
          + " is not positive");
    }
    return Optional.empty();
  }

  static Optional<Invalid> invalid(RejectReason reason, String message) {
    return Optional.of(new Invalid(reason, message));
  }
}
