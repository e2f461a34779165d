package io.chipstream.streams;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.WindowedSum;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * Chipstream's counters, as Kafka Streams metrics (so they appear beside the built-in ones, in
 * JMX and in any registry bound to {@code KafkaStreams#metrics()}). Group {@code
 * stream-chipstream-metrics}, tag {@code chipstream-id} = the entity, metrics {@code
 * <operation>-total} and {@code <operation>-rate}, tagged with the stream thread's {@code
 * thread-id} as Kafka Streams tags its own.
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
    return sensors.computeIfAbsent(metricName(operation),
        name -> metrics.addRateTotalSensor(SCOPE, entity, name, Sensor.RecordingLevel.INFO));
  }

  /**
   * The counter of {@code operation} for counts added up by the caller and recorded in batches
   * ({@code sensor.record(n)} adds n): the same two metrics as {@link #sensor}, for a path too hot
   * to record each occurrence. Call from the stream thread that owns the counts.
   */
  public Sensor batchSensor(String operation) {
    String name = metricName(operation);
    String thread = Thread.currentThread().getName();
    Sensor sensor = metrics.addSensor(SCOPE + "." + thread + "." + entity + "." + name,
        Sensor.RecordingLevel.INFO);
    Map<String, String> tags = Map.of("thread-id", thread, SCOPE + "-id", entity);
    String group = "stream-" + SCOPE + "-metrics";
    // Adding a metric the sensor already has is a no-op: tasks on one thread share it.
    sensor.add(new MetricName(name + "-total", group, "The total number of " + name, tags),
        new CumulativeSum());
    sensor.add(new MetricName(name + "-rate", group, "The average number of " + name
        + " per second", tags), new Rate(TimeUnit.SECONDS, new WindowedSum()));
    return sensor;
  }

  private static String metricName(String operation) {
    return operation.toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
