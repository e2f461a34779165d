package io.chipstream.schema.topics;

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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Chipstream's topics where they are missing, leaving existing ones as they are; reads a
 * consumer group's lag on them.
 */
public final class TopicAdmin {
  private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);
  private static final long TIMEOUT_SECONDS = 30;

  private TopicAdmin() {}

  /**
   * How many records of {@code topics} the consumer group {@code group} (for Kafka Streams, the
   * application id) has not committed yet, summed over every partition; a partition without a
   * commit counts from its start.
   */
  public static long lag(Map<String, Object> adminConfig, String group,
      Collection<String> topics) {
    try (Admin admin = Admin.create(adminConfig)) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicDescription topic : admin.describeTopics(topics).allTopicNames()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).values()) {
        topic.partitions().forEach(p ->
            latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
      }
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      long lag = 0;
      for (var end : admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .entrySet()) {
        OffsetAndMetadata at = committed.get(end.getKey());
        lag += end.getValue().offset() - (at == null ? 0 : at.offset());
      }
      return lag;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the lag of " + group + ": " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the lag of " + group, e);
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
    List<NewTopic> wanted = new ArrayList<>();
    try (Admin admin = Admin.create(adminConfig)) {
      short replication = (short) Math.min(3, admin.describeCluster().nodes()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).size());
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
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
          admin.createTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
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
      throw new IllegalStateException("cannot create Chipstream's topics: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topics", e);
    }
  }
}
