package io.chipstream.schema.topics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates Chipstream's topics where they are missing, leaving existing ones as they are. */
public final class TopicAdmin {
  private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);
  private static final long TIMEOUT_SECONDS = 30;

  private TopicAdmin() {}

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
