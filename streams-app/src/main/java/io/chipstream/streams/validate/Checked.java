package io.chipstream.streams.validate;

/**
 * A record after validation: its value if valid, else why not, with the original bytes either
 * way (a rejected record goes to the dead-letter topic exactly as it came).
 *
 * @param key the decoded key
 * @param value the decoded value; null when it could not be decoded
 * @param invalid why the record is rejected; null when valid
 * @param rawKey the key as it came
 * @param rawValue the value as it came
 * @param source where it came from (topic, partition, offset)
 * @param <T> the value type
 */
public record Checked<T>(String key, T value, Invalid invalid, byte[] rawKey, byte[] rawValue,
    Source source) {

  public boolean isValid() {
    return invalid == null;
  }

  /** The same record, now rejected. */
  public Checked<T> reject(Invalid why) {
    return new Checked<>(key, value, why, rawKey, rawValue, source);
  }

  /**
   * Where a record was read.
   *
   * @param topic its topic
   * @param partition its partition
   * @param offset its offset
   */
  public record Source(String topic, int partition, long offset) {}
}
