package io.chipstream.streams.app;

import io.chipstream.schema.registry.RegistryClientConfig;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.registry.SchemaRegistryException;
import io.chipstream.schema.topics.TopicAdmin;
import io.chipstream.streams.ChipstreamSerdes;
import io.chipstream.streams.ChipstreamTopology;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running app: creates missing topics, builds the topology, runs Kafka Streams, and closes
 * it cleanly. Used by {@code StreamsMain}, the {@code chipstream} launcher and the tests.
 */
public final class ChipstreamStreams implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChipstreamStreams.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration THREAD_RETRY_PAUSE = Duration.ofSeconds(2);

  private final StreamsSettings settings;
  private final RestSchemaRegistryClient registry;
  private final KafkaStreams streams;
  private final CountDownLatch stopped = new CountDownLatch(1);

  public ChipstreamStreams(StreamsSettings settings) {
    this.settings = settings;
    this.registry = new RestSchemaRegistryClient(RegistryClientConfig.from(
        settings.serdeConfig()));
    ChipstreamSerdes serdes = ChipstreamSerdes.create(settings.topics(), registry,
        settings.serdeConfig());
    Topology topology = ChipstreamTopology.build(settings.topology(), serdes);
    this.streams = new KafkaStreams(topology, settings.streamsProperties());
    streams.setUncaughtExceptionHandler(e -> threadFailed(Thread.currentThread(), e));
    streams.setGlobalStateRestoreListener(new RestoreLog());
    streams.setStateListener((now, before) -> {
      log.info("Kafka Streams {} -> {}", before, now);
      if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
        stopped.countDown();
      }
    });
  }

  /**
   * What to do when a thread of the app fails. Bad input never gets here (it is dead-lettered):
   * this is an unreachable registry, a broken cluster or a bug. A stream thread is replaced, which
   * retries its tasks from their last commit, so nothing is lost; the pause keeps a lasting outage
   * from becoming a busy loop. The global thread (the chip catalog) cannot be replaced (Kafka
   * Streams would fail asking), so the app stops, and its command exits for its supervisor to
   * start it again. Called on the failing thread, which Kafka Streams names.
   */
  static StreamThreadExceptionResponse threadFailed(Thread thread, Throwable e) {
    if (thread.getName().endsWith("-GlobalStreamThread")) {
      log.error("the global thread (the chip catalog) failed and cannot be replaced; the app"
          + " stops", e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    log.error("stream thread failed; replacing it in {} s", THREAD_RETRY_PAUSE.toSeconds(), e);
    LockSupport.parkNanos(THREAD_RETRY_PAUSE.toNanos());
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /**
   * Checks the registry accepts the credentials, creates missing topics, then starts processing
   * (returns at once).
   *
   * @throws SchemaRegistryException.AuthorizationException if the registry refuses the
   *     credentials: no record could be read, so the app does not start
   */
  public ChipstreamStreams start() {
    checkRegistryAccess();
    TopicAdmin.ensure(settings.clientConfig(), settings.topics(), settings.partitions());
    log.info("starting application {} against {} (registry {}), state in {}",
        settings.applicationId(), settings.bootstrapServers(), settings.schemaRegistryUrl(),
        settings.stateDir());
    streams.start();
    return this;
  }

  private void checkRegistryAccess() {
    try {
      registry.globalCompatibility();
    } catch (SchemaRegistryException.AuthorizationException e) {
      throw new SchemaRegistryException.AuthorizationException(e.status(), e.errorCode(),
          "the schema registry at " + settings.schemaRegistryUrl() + " refused the credentials"
              + " (HTTP " + e.status() + "): check basic.auth.user.info");
    } catch (SchemaRegistryException e) {
      // Unreachable for now: records wait (their tasks retry) until it answers.
      log.warn("the schema registry at {} does not answer yet: {}",
          settings.schemaRegistryUrl(), e.getMessage());
    }
  }

  /**
   * Starts the web port (health, metrics, queries) on {@code host:port}; other instances reach
   * it at the {@code application.server} of the settings, when set.
   */
  public io.chipstream.streams.web.AppServer startWeb(String host, int port) {
    Object advertised = settings.streamsProperties()
        .get(org.apache.kafka.streams.StreamsConfig.APPLICATION_SERVER_CONFIG);
    org.apache.kafka.streams.state.HostInfo self = advertised == null ? null
        : org.apache.kafka.streams.state.HostInfo.buildFromEndpoint(advertised.toString());
    return new io.chipstream.streams.web.AppServer(host, port, self, streams);
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  public KafkaStreams kafkaStreams() {
    return streams;
  }

  /** Whether the consumers have a {@code group.instance.id}, plain or with a client prefix. */
  static boolean staticMember(Properties props) {
    return props.stringPropertyNames().stream()
        .anyMatch(key -> key.equals(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)
            || key.endsWith("." + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
  }

  /** Blocks until the app stops (closed, or failed for good). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  public boolean awaitStop(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Logs how many changelog records each store restored: after a clean stop the state is on disk
   * and little or nothing is restored; after a crash, what was written since the last commit.
   */
  private static final class RestoreLog implements StateRestoreListener {
    @Override
    public void onRestoreStart(TopicPartition partition, String store,
        long startingOffset, long endingOffset) {
      log.info("restoring {} from {} offsets {}..{}", store, partition, startingOffset,
          endingOffset);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store,
        long batchEndOffset, long numRestored) {
      // Progress is logged once, at the end.
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store,
        long totalRestored) {
      log.info("restored {} records of {} from {}", totalRestored, store, partition);
    }
  }

  /**
   * Commits and closes within 30 s; state stays on disk for the next start. The instance leaves
   * its group, so the others (or its own restart, which joins as a new member) take its tasks
   * at once rather than after the session timeout; with static membership ({@code
   * group.instance.id}) it stays, as that setting asks, and its restart takes its tasks back.
   */
  @Override
  public void close() {
    boolean clean = streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
        .withGroupMembershipOperation(staticMember(settings.streamsProperties())
            ? GroupMembershipOperation.DEFAULT
            : GroupMembershipOperation.LEAVE_GROUP));
    registry.close();
    stopped.countDown();
    log.info("stopped {}", clean ? "cleanly" : "after the close timeout");
  }
}
