package io.chipstream.producers.catalog;

import io.chipstream.avro.ChipCapability;
import io.chipstream.schema.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a chip catalog to the compacted {@code chip-catalog} topic, keyed by chip model.
 *
 * <p>It first reads what the topic holds and writes only the rows that differ (ignoring {@code
 * updatedAt}), so loading the same file twice changes nothing. The rows it writes go in one
 * Kafka transaction: readers see all of them or none.
 */
public final class CatalogLoader {
  private static final Logger log = LoggerFactory.getLogger(CatalogLoader.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, Object> kafkaConfig;
  private final Topic<String, ChipCapability> topic;

  /**
   * @param kafkaConfig client settings (bootstrap servers, security) for the loader's clients
   * @param topic the catalog topic and its serdes
   */
  public CatalogLoader(Map<String, Object> kafkaConfig, Topic<String, ChipCapability> topic) {
    this.kafkaConfig = Map.copyOf(kafkaConfig);
    this.topic = topic;
  }

  /**
   * How a load went.
   *
   * @param written rows that were new or changed, now written
   * @param unchanged rows the topic already held as they are
   */
  public record Report(int written, int unchanged) {}

  public Report load(List<ChipCapability> rows) {
    Map<String, ChipCapability> current = readCurrent();
    List<ChipCapability> changed = new ArrayList<>();
    for (ChipCapability row : rows) {
      if (!sameIgnoringLoadTime(current.get(row.getChipModel()), row)) {
        changed.add(row);
      }
    }
    if (!changed.isEmpty()) {
      writeAtomically(changed);
    }
    Report report = new Report(changed.size(), rows.size() - changed.size());
    log.info("catalog {}: {} rows written, {} unchanged", topic.name(), report.written(),
        report.unchanged());
    return report;
  }

  /** The latest row per chip model that the topic holds (committed records only). */
  public Map<String, ChipCapability> readCurrent() {
    Map<String, Object> config = new HashMap<>(kafkaConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    Map<String, ChipCapability> current = new HashMap<>();
    try (KafkaConsumer<String, ChipCapability> consumer = new KafkaConsumer<>(config,
        topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic.name(), TIMEOUT)) {
        partitions.add(new TopicPartition(info.topic(), info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading " + topic.name() + " took over " + TIMEOUT);
        }
        for (ConsumerRecord<String, ChipCapability> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() == null) {
            current.remove(record.key());
          } else {
            current.put(record.key(), record.value());
          }
        }
      }
    }
    return current;
  }

  private void writeAtomically(List<ChipCapability> rows) {
    Map<String, Object> config = new HashMap<>(kafkaConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "chipstream-catalog-loader-" + topic.name());
    try (KafkaProducer<String, ChipCapability> producer = new KafkaProducer<>(config,
        topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      try {
        for (ChipCapability row : rows) {
          producer.send(new ProducerRecord<>(topic.name(), row.getChipModel(), row));
        }
        producer.commitTransaction();
      } catch (KafkaException e) {
        producer.abortTransaction();
        throw new IllegalStateException("writing the catalog failed; nothing was written: "
            + e.getMessage(), e);
      }
    }
  }

  private static boolean sameIgnoringLoadTime(ChipCapability existing, ChipCapability row) {
    if (existing == null) {
      return false;
    }
    ChipCapability comparable = ChipCapability.newBuilder(row)
        .setUpdatedAt(existing.getUpdatedAt())
        .build();
    return comparable.equals(existing);
  }
}
