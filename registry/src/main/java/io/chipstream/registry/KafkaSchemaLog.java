package io.chipstream.registry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's durable log: a compacted, single-partition Kafka topic. Every change is written
 * here, and acknowledged by the broker, before the registry answers; a restarted registry replays
 * the topic to rebuild exactly the same subjects, versions and ids.
 */
final class KafkaSchemaLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaSchemaLog.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String topic;
  private final TopicPartition partition;
  private final Map<String, Object> clientConfig;
  private final KafkaProducer<String, String> producer;

  KafkaSchemaLog(Map<String, Object> clientConfig, String topic) {
    this.topic = topic;
    this.partition = new TopicPartition(topic, 0);
    this.clientConfig = Map.copyOf(clientConfig);
    Map<String, Object> producerConfig = new HashMap<>(clientConfig);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "chipstream-registry-" + topic);
    this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
        new StringSerializer());
  }

  /** Creates the topic if missing (compacted, one partition); refuses one of another shape. */
  void ensureTopic() {
    try (Admin admin = Admin.create(clientConfig)) {
      Optional<TopicDescription> existing = describe(admin);
      if (existing.isEmpty()) {
        int brokers = admin.describeCluster().nodes().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
            .size();
        NewTopic newTopic = new NewTopic(topic, 1, (short) Math.min(3, brokers))
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
          admin.createTopics(List.of(newTopic)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
          log.info("created schema topic {}", topic);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      } else if (existing.get().partitions().size() != 1) {
        throw new IllegalStateException("schema topic " + topic + " has "
            + existing.get().partitions().size() + " partitions; it must have exactly 1");
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot prepare schema topic " + topic + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted preparing schema topic " + topic, e);
    }
  }

  private Optional<TopicDescription> describe(Admin admin)
      throws InterruptedException, TimeoutException, ExecutionException {
    Set<String> names = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (!names.contains(topic)) {
      return Optional.empty();
    }
    return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames()
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(topic));
  }

  /** Feeds every record of the topic, in order, to {@code apply}; returns how many. */
  long replay(BiConsumer<String, String> apply) {
    Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "chipstream-registry-replay");
    long count = 0;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig,
        new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (consumer.position(partition, TIMEOUT) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("replaying " + topic + " took longer than " + TIMEOUT);
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.key() != null) {
            apply.accept(record.key(), record.value());
            count++;
          }
        }
      }
    }
    return count;
  }

  /** Appends one record and waits for the broker's acknowledgement. */
  void append(String key, String value) {
    try {
      producer.send(new ProducerRecord<>(topic, 0, key, value))
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new RegistryError(500, io.chipstream.schema.registry.ErrorCodes.STORE_ERROR,
          "Error while writing to the schema topic " + topic + ": " + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryError(500, io.chipstream.schema.registry.ErrorCodes.STORE_ERROR,
          "Interrupted while writing to the schema topic");
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
