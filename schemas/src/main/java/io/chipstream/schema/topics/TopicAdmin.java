package io.chipstream.schema.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Chipstream's topics where they are missing, leaving existing ones as they are; checks
 * that a topic exists; reads a consumer group's lag on them. Each waits for the cluster as long
 * as the admin client's {@code default.api.timeout.ms} says (30 s if not set), and a cluster that
 * does not answer, or refuses, is an error that says so and names the address.
 */
public final class TopicAdmin {
  private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);
  private static final long DEFAULT_TIMEOUT_MS = 30_000;
  /** Closing waits for no call: every call is answered or abandoned by then. */
  private static final Duration CLOSE_TIMEOUT = Duration.ZERO;

  private TopicAdmin() {}

  /**
   * How many records of {@code topics} the consumer group {@code group} (for Kafka Streams, the
   * application id) has not committed yet, summed over every partition; a partition without a
   * commit counts from its start.
   */
  public static long lag(Map<String, Object> adminConfig, String group,
      Collection<String> topics) {
    long timeoutMs = timeoutMs(adminConfig);
    Admin admin = Admin.create(adminConfig);
    try {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicDescription topic : admin.describeTopics(topics).allTopicNames()
          .get(timeoutMs, TimeUnit.MILLISECONDS).values()) {
        topic.partitions().forEach(p ->
            latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
      }
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(timeoutMs, TimeUnit.MILLISECONDS);
      long lag = 0;
      for (var end : admin.listOffsets(latest).all().get(timeoutMs, TimeUnit.MILLISECONDS)
          .entrySet()) {
        OffsetAndMetadata at = committed.get(end.getKey());
        lag += end.getValue().offset() - (at == null ? 0 : at.offset());
      }
      return lag;
    } catch (ExecutionException | TimeoutException e) {
      throw failure("cannot read the lag of " + group, adminConfig, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the lag of " + group, e);
    } finally {
      admin.close(CLOSE_TIMEOUT);
    }
  }

  /**
   * Checks that {@code topic} exists, before a client waits on it: a consumer subscribed to a
   * missing topic, or to a cluster that does not answer, would wait in silence.
   *
   * @throws IllegalStateException naming the topic and the address when it is missing, or the
   *     cluster does not answer or refuses
   */
  public static void requireTopic(Map<String, Object> adminConfig, String topic) {
    Admin admin = Admin.create(adminConfig);
    try {
      admin.describeTopics(List.of(topic)).allTopicNames()
          .get(timeoutMs(adminConfig), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new IllegalStateException("topic '" + topic + "' does not exist at "
            + bootstrap(adminConfig), e.getCause());
      }
      throw failure("cannot read topic '" + topic + "'", adminConfig, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted checking topic " + topic, e);
    } finally {
      admin.close(CLOSE_TIMEOUT);
    }
  }

  /**
   * Creates every topic of {@code names} that does not exist: the catalog compacted with one
   * partition, the others with {@code partitions}; replication is the smaller of 3 and the
   * cluster's broker count.
   *
   * @return the topics created
   */
  public static List<String> ensure(Map<String, Object> adminConfig, TopicNames names,
      int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("topics need at least 1 partition, not " + partitions);
    }
    List<NewTopic> wanted = new ArrayList<>();
    long timeoutMs = timeoutMs(adminConfig);
    Admin admin = Admin.create(adminConfig);
    try {
      short replication = (short) Math.min(3, admin.describeCluster().nodes()
          .get(timeoutMs, TimeUnit.MILLISECONDS).size());
      Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
      for (String topic : names.all()) {
        if (existing.contains(topic)) {
          continue;
        }
        boolean catalog = topic.equals(names.catalog());
        Map<String, String> configs = new HashMap<>();
        if (catalog) {
          configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        wanted.add(new NewTopic(topic, catalog ? 1 : partitions, replication).configs(configs));
      }
      List<String> created = new ArrayList<>();
      for (NewTopic topic : wanted) {
        try {
          admin.createTopics(List.of(topic)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
          created.add(topic.name());
          log.info("created topic {} ({} partitions)", topic.name(), topic.numPartitions());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      return created;
    } catch (ExecutionException | TimeoutException e) {
      throw failure("cannot create Chipstream's topics", adminConfig, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topics", e);
    } finally {
      admin.close(CLOSE_TIMEOUT);
    }
  }

  /**
   * {@code what} failed, in words a user can act on: no answer in time (ours or the client's own
   * timeout) names the address and the wait; anything else gives the cluster's reason.
   */
  static IllegalStateException failure(String what, Map<String, Object> adminConfig,
      Exception e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof TimeoutException
        || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
      return new IllegalStateException(what + ": no answer from Kafka at "
          + bootstrap(adminConfig) + " within " + describe(timeoutMs(adminConfig))
          + "; is a broker running there, and is that its address?", cause);
    }
    String reason = cause.getMessage() == null ? cause.getClass().getSimpleName()
        : cause.getMessage();
    return new IllegalStateException(what + " at " + bootstrap(adminConfig) + ": " + reason,
        cause);
  }

  private static String describe(long ms) {
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  private static Object bootstrap(Map<String, Object> adminConfig) {
    return adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
  }

  /** How long to wait for the cluster: the client's {@code default.api.timeout.ms}, or 30 s. */
  static long timeoutMs(Map<String, Object> adminConfig) {
    Object configured = adminConfig.get(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
    if (configured == null) {
      return DEFAULT_TIMEOUT_MS;
    }
    try {
      return Long.parseLong(configured.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG
          + " must be a number of milliseconds, not '" + configured + "'", e);
    }
  }
}
