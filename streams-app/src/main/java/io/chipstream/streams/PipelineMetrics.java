package io.chipstream.streams;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * Chipstream's counters, as Kafka Streams metrics (so they appear beside the built-in ones, in
 * JMX and in any registry bound to {@code KafkaStreams#metrics()}). Group {@code
 * stream-chipstream-metrics}, tag {@code chipstream-id} = the entity, metrics {@code
 * <operation>-total} and {@code <operation>-rate}.
 */
public final class PipelineMetrics {
  public static final String SCOPE = "chipstream";
  public static final String DEAD_LETTERS = "dead-letters";
  public static final String DECISIONS = "decisions";

  private final StreamsMetrics metrics;
  private final String entity;
  private final Map<String, Sensor> sensors = new HashMap<>();

  public PipelineMetrics(StreamsMetrics metrics, String entity) {
    this.metrics = metrics;
    this.entity = entity;
  }

  /** Creates the counters of {@code operations} now, so they are visible (at 0) at once. */
  public PipelineMetrics register(Iterable<String> operations) {
    operations.forEach(this::sensor);
    return this;
  }

  /** Counts one occurrence of {@code operation}, e.g. a reason code. */
  public void count(String operation) {
    sensor(operation).record();
  }

  /** The counter of {@code operation}, to keep and record directly on a hot path. */
  public Sensor sensor(String operation) {
    return sensors.computeIfAbsent(operation.toLowerCase(Locale.ROOT).replace('_', '-'),
        name -> metrics.addRateTotalSensor(SCOPE, entity, name, Sensor.RecordingLevel.INFO));
  }
}
