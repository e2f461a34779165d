package io.chipstream.producers.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An idempotent, {@code acks=all} producer of Avro records that counts what was acknowledged and
 * remembers the first send failure, so a failure is reported, never swallowed.
 */
public final class EventSink implements AutoCloseable {
  private final KafkaProducer<String, SpecificRecord> producer;
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

  public EventSink(Map<String, Object> kafkaConfig, Serializer<SpecificRecord> values) {
    Map<String, Object> config = new HashMap<>(kafkaConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "chipstream-producer");
    this.producer = new KafkaProducer<>(config, new StringSerializer(), values);
  }

  /** Sends with the event time as the record timestamp. */
  public void send(String topic, String key, SpecificRecord value, long eventTimeMs) {
    producer.send(new ProducerRecord<>(topic, null, eventTimeMs, key, value), (meta, error) -> {
      if (error == null) {
        acknowledged.incrementAndGet();
      } else {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, error);
      }
    });
  }

  public void flush() {
    producer.flush();
  }

  public long acknowledged() {
    return acknowledged.get();
  }

  public long failed() {
    return failed.get();
  }

  /** The first send failure, or null. */
  public Exception firstFailure() {
    return firstFailure.get();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
