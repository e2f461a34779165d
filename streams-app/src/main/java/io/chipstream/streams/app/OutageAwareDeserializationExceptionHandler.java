package io.chipstream.streams.app;

import io.chipstream.schema.registry.SchemaRegistryException;
import io.chipstream.streams.validate.DeadLetterProcessor;
import io.chipstream.streams.validate.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when Kafka Streams cannot deserialize a record of a topic it reads with a typed
 * serde (the chip catalog, the app's internal topics; requests and telemetry are read as bytes
 * and checked by the topology). Bad bytes go to the dead-letter topic and the app carries on;
 * a schema registry that cannot be asked fails instead, so the record is read again once it
 * answers (see {@link OutageAwareProcessingExceptionHandler}).
 *
 * <p>The catalog is read by Kafka Streams' global thread, which in Kafka 4.4 cannot send
 * dead-letter records: handed any, it fails with a {@code ClassCastException} and takes the
 * whole app down with it. So this handler sends a bad catalog row to the dead-letter topic
 * itself, with a producer of its own that lives only for that send (catalog rows are few and
 * bad ones rare), and tells Kafka Streams to skip it. If that send fails, the row is not
 * skipped: the app stops rather than lose it.
 */
public final class OutageAwareDeserializationExceptionHandler
    extends LogAndContinueExceptionHandler {
  /** The topic the global thread reads (the chip catalog); set by {@link StreamsSettings}. */
  public static final String CATALOG_TOPIC_CONFIG = "chipstream.catalog.topic";
  private static final Logger log =
      LoggerFactory.getLogger(OutageAwareDeserializationExceptionHandler.class);

  private String catalogTopic;
  private Map<String, Object> producerConfig = Map.of();

  @Override
  public void configure(Map<String, ?> configs) {
    super.configure(configs);
    Object catalog = configs.get(CATALOG_TOPIC_CONFIG);
    catalogTopic = catalog == null ? null : catalog.toString();
    producerConfig = producerConfig(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
      Exception exception) {
    if (SchemaRegistryException.isOutage(exception)) {
      log.warn("{} partition {} offset {} waits: the schema registry is unavailable ({})",
          record.topic(), record.partition(), record.offset(), exception.getMessage());
      return Response.fail();
    }
    Response response = super.handleError(context, record, exception);
    if (!record.topic().equals(catalogTopic) || response.deadLetterQueueRecords().isEmpty()) {
      return response;
    }
    try {
      sendCatalogDeadLetters(response.deadLetterQueueRecords());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Response.fail();
    } catch (RuntimeException | ExecutionException e) {
      log.error("{} partition {} offset {}: could not write the unreadable catalog row to the"
          + " dead-letter topic, so it is not skipped and the app stops", record.topic(),
          record.partition(), record.offset(), e);
      return Response.fail();
    }
    return Response.resume();
  }

  private void sendCatalogDeadLetters(List<ProducerRecord<byte[], byte[]>> records)
      throws InterruptedException, ExecutionException {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (ProducerRecord<byte[], byte[]> dead : records) {
        dead.headers().remove(DeadLetterProcessor.REASON);
        dead.headers().add(DeadLetterProcessor.REASON,
            RejectReason.DESERIALIZATION_FAILED.name().getBytes(StandardCharsets.UTF_8));
        producer.send(dead).get();
      }
    }
    log.info("wrote {} unreadable catalog row(s) to the dead-letter topic", records.size());
  }

  /**
   * The app's producer settings (connection, security, {@code producer.}-prefixed overrides),
   * for a plain idempotent producer: no transaction, the catalog is not read in one.
   */
  static Map<String, Object> producerConfig(Map<String, ?> streamsConfig) {
    Map<String, Object> config = new HashMap<>();
    streamsConfig.forEach((key, value) -> {
      if (ProducerConfig.configNames().contains(key)) {
        config.put(key, value);
      }
    });
    String prefix = StreamsConfig.PRODUCER_PREFIX;
    streamsConfig.forEach((key, value) -> {
      if (key.startsWith(prefix)) {
        config.put(key.substring(prefix.length()), value);
      }
    });
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    config.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
    config.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    Object app = streamsConfig.get(StreamsConfig.APPLICATION_ID_CONFIG);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, app + "-catalog-dead-letters");
    return config;
  }
}
