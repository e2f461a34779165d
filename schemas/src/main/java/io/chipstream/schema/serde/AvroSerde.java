package io.chipstream.schema.serde;

import io.chipstream.schema.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} of Avro records in the Confluent wire format. Configure it with at least
 * {@code schema.registry.url}, as for Confluent's serdes.
 *
 * @param <T> the record type
 */
public final class AvroSerde<T> implements Serde<T> {
  private final AvroSerializer<T> serializer;
  private final AvroDeserializer<T> deserializer;

  private AvroSerde(AvroSerializer<T> serializer, AvroDeserializer<T> deserializer) {
    this.serializer = serializer;
    this.deserializer = deserializer;
  }

  /** A serde of one generated class; the client is made by {@link #configure}. */
  public static <T extends SpecificRecord> AvroSerde<T> specific(Class<T> type) {
    return new AvroSerde<>(new AvroSerializer<>(), new AvroDeserializer<>(type, null));
  }

  /** A serde of one generated class over a shared client, which the caller closes. */
  public static <T extends SpecificRecord> AvroSerde<T> specific(Class<T> type,
      SchemaRegistryClient client) {
    return new AvroSerde<>(new AvroSerializer<>(client), new AvroDeserializer<>(type, client));
  }

  /** A serde of {@code GenericRecord}s over a shared client, which the caller closes. */
  public static AvroSerde<GenericRecord> generic(SchemaRegistryClient client) {
    return new AvroSerde<>(new AvroSerializer<>(client), new AvroDeserializer<>(null, client));
  }

  /** Configures both halves: the same properties as a Confluent serde. */
  public AvroSerde<T> configured(Map<String, ?> configs, boolean isKey) {
    configure(configs, isKey);
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }

  @Override
  public void close() {
    serializer.close();
    deserializer.close();
  }
}
