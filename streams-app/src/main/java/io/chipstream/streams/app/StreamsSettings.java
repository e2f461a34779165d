package io.chipstream.streams.app;

import io.chipstream.schema.registry.RegistryClientConfig;
import io.chipstream.schema.topics.TopicNames;
import io.chipstream.streams.TopologyConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the running app needs: where the cluster and registry are, its identity and state
 * folder, the topology settings, and extra client properties (security, tuning).
 *
 * @param bootstrapServers Kafka
 * @param schemaRegistryUrl the registry
 * @param applicationId the Kafka Streams application id (instances with the same id share work)
 * @param stateDir where the app keeps its state stores
 * @param processingGuarantee {@code exactly_once_v2} (default) or {@code at_least_once}
 * @param threads stream threads in this instance
 * @param partitions partitions of the topics the app creates when they are missing
 * @param topics topic names
 * @param topology the topology's settings
 * @param clientProperties passed to every Kafka client and the registry client as given
 */
public record StreamsSettings(String bootstrapServers, String schemaRegistryUrl,
    String applicationId, Path stateDir, String processingGuarantee, int threads, int partitions,
    TopicNames topics, TopologyConfig topology, Map<String, String> clientProperties) {
  /** Kafka Streams' default {@code linger.ms} for its producers. */
  private static final long LINGER_MS = 100;
  /**
   * The producers' batch size per partition: 128 KiB, not Kafka's 16 KiB. At the rates a stream
   * thread reaches (200,000+ records/s over three partitions), 16 KiB batches filled in a few
   * milliseconds, and every batch is a request for the producer's network thread and the
   * broker: fewer, larger ones halved the producer's CPU per record and took a third off the
   * broker's (BENCHMARKS.md). A batch still goes after {@code linger.ms} (100 ms) when it does
   * not fill: at rates where 16 KiB filled sooner and 128 KiB does not, at-least-once output
   * can wait up to that linger longer; under exactly once every commit (100 ms) sends it, and
   * p99 at 10,000 records/s did not move beyond the machine's noise.
   */
  static final int PRODUCER_BATCH_BYTES = 128 * 1024;

  public StreamsSettings {
    if (threads < 1) {
      throw new IllegalArgumentException("stream threads (--threads, num.stream.threads) must be"
          + " at least 1, not " + threads);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("--partitions (chipstream.partitions) must be at least"
          + " 1, not " + partitions);
    }
  }

  /** Kafka Streams' configuration: the app's choices first, then the given client properties. */
  public Properties streamsProperties() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, maxTaskIdleMs());
    props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG),
        PRODUCER_BATCH_BYTES);
    // Bad records the topology does not catch itself (a corrupt catalog record, a bug) go to the
    // dead-letter topic through Kafka Streams' own handlers, and the app keeps running; a
    // registry outage is not the record's fault and fails the task instead, to retry it.
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetters());
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        OutageAwareDeserializationExceptionHandler.class);
    props.put(OutageAwareDeserializationExceptionHandler.CATALOG_TOPIC_CONFIG, topics.catalog());
    // Kafka Streams 4.4 warns at start that this handler is not enabled for the global thread
    // (processing.exception.handler.global.enabled). It stays off: that thread cannot send
    // dead-letter records, so with it on, a catalog row the store could not take would be
    // dropped with a log line; off, the thread fails and the app stops, loudly. (An unreadable
    // row is another matter, handled by the deserialization handler.)
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        OutageAwareProcessingExceptionHandler.class);
    props.putAll(clientProperties);
    return props;
  }

  /**
   * How long the window aggregation waits for the sums of one input (requests, telemetry) when
   * only the other's have arrived, before it goes on without them. The two inputs are summed in
   * separate sub-topologies, so when the app catches up on a backlog, telemetry (a few records)
   * would otherwise run ahead of the requests in event time and close their windows
   * ({@code CatchUpIT}). Each input's sums are sent every flush interval and at every commit,
   * visible after the producer's linger and, under exactly once, the commit; Kafka Streams
   * starts the wait when the input is first seen empty, so it must also cover a task's start or
   * a pause. At least five seconds: only the aggregation's task reads two partitions, so
   * nothing else waits, and its results are at most that much later when one input pauses.
   */
  long maxTaskIdleMs() {
    boolean exactlyOnce = !StreamsConfig.AT_LEAST_ONCE.equals(processingGuarantee);
    String commit = clientProperties.getOrDefault(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        exactlyOnce ? "100" : "30000");
    long commitMs;
    try {
      commitMs = Long.parseLong(commit.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG
          + " must be a number of milliseconds, not '" + commit + "'", e);
    }
    long sentWithinMs = Math.min(topology.partialsFlush().toMillis(), commitMs);
    long visibleAfterMs = sentWithinMs + LINGER_MS + (exactlyOnce ? commitMs : 0);
    return Math.max(5_000, 10 * visibleAfterMs);
  }

  /** Settings for the app's own admin client and the registry client. */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  /** The registry client's and serdes' settings. */
  public Map<String, Object> serdeConfig() {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(RegistryClientConfig.URL, schemaRegistryUrl);
    return config;
  }
}
