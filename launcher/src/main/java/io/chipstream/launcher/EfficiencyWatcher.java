package io.chipstream.launcher;

import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.schema.topics.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows {@code chip-efficiency} and keeps, per family, its record of the latest window, for the
 * live summary. Runs on its own thread until closed.
 */
final class EfficiencyWatcher implements AutoCloseable {
  private final KafkaConsumer<String, ChipFamilyEfficiency> consumer;
  private final Map<ChipFamily, ChipFamilyEfficiency> latest = new HashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  EfficiencyWatcher(Map<String, Object> kafkaConfig, Topic<String, ChipFamilyEfficiency> topic) {
    Map<String, Object> config = new HashMap<>(kafkaConfig);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "chipstream-up-summary-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(),
        topic.valueSerde().deserializer());
    consumer.subscribe(List.of(topic.name()));
    thread = new Thread(this::follow, "chipstream-summary");
    thread.setDaemon(true);
    thread.start();
  }

  private void follow() {
    try {
      while (running) {
        for (ConsumerRecord<String, ChipFamilyEfficiency> r
            : consumer.poll(Duration.ofSeconds(1))) {
          synchronized (latest) {
            ChipFamilyEfficiency current = latest.get(r.value().getChipFamily());
            if (current == null || !r.value().getWindowStart().isBefore(current.getWindowStart())) {
              latest.put(r.value().getChipFamily(), r.value());
            }
          }
        }
      }
    } catch (WakeupException stopping) {
      // closing
    } catch (RuntimeException e) {
      System.err.println("summary stopped: " + e.getMessage());
    } finally {
      consumer.close();
    }
  }

  /** Each family's record of the newest window seen (families idle for two minutes drop out). */
  List<ChipFamilyEfficiency> snapshot() {
    Instant cutoff = Instant.now().minus(Duration.ofMinutes(2));
    synchronized (latest) {
      return latest.values().stream().filter(e -> e.getWindowEnd().isAfter(cutoff)).toList();
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
