package io.chipstream.streams.validate;

/** Why a record went to the dead-letter topic; written in its {@code chipstream.error.reason} header. */
public enum RejectReason {
  /** Not Avro in the Confluent wire format, an unknown schema id, or another record type. */
  DESERIALIZATION_FAILED,
  /** No record key. */
  MISSING_KEY,
  /** The key is not the record's id (request id, source id). */
  KEY_MISMATCH,
  /** A required id is empty. */
  MISSING_FIELD,
  /** Negative or absurd token counts. */
  INVALID_TOKENS,
  /** An event time too far in the future. */
  FUTURE_TIMESTAMP,
  /** Battery outside 0..100. */
  INVALID_DEVICE_STATE,
  /** A latency target that is not positive. */
  INVALID_LATENCY_TARGET,
  /** Power that is NaN, infinite, negative or absurd. */
  INVALID_POWER,
  /** A telemetry interval that is not positive or longer than allowed. */
  INVALID_INTERVAL,
  /** Utilization that is NaN or outside 0..1. */
  INVALID_UTILIZATION,
  /** Telemetry from a chip the catalog does not know. */
  UNKNOWN_CHIP
}
