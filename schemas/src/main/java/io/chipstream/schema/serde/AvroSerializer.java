package io.chipstream.schema.serde;

import io.chipstream.schema.AvroTrust;
import io.chipstream.schema.registry.RegisteredSchema;
import io.chipstream.schema.registry.RegistryClientConfig;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.registry.SchemaRegistryClient;
import io.chipstream.schema.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated classes or {@code GenericRecord}) in the Confluent wire format,
 * registering or looking up their schema under {@code <topic>-key} or {@code <topic>-value}.
 * After the first record of a schema, serialising makes no registry call.
 *
 * @param <T> the record type
 */
public class AvroSerializer<T> implements Serializer<T> {
  static {
    AvroTrust.install();
  }

  private static final byte[] HEADER_PLACEHOLDER = new byte[WireFormat.HEADER_SIZE];

  private SchemaRegistryClient client;
  private boolean ownsClient;
  private AvroSerdeConfig config = AvroSerdeConfig.from(Map.of());
  private boolean isKey;
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
  private final Map<Schema, CompiledWriter> specificWriters = new ConcurrentHashMap<>();
  private final Map<Schema, DatumWriter<Object>> genericWriters = new ConcurrentHashMap<>();
  private final PerThread<Buffers> buffers = new PerThread<>(Buffers::new);

  /** For Kafka to instantiate from {@code value.serializer}; {@link #configure} makes the client. */
  public AvroSerializer() {}

  /** Uses {@code client}, shared with other serdes; the caller closes it. */
  public AvroSerializer(SchemaRegistryClient client) {
    this.client = client;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    this.config = AvroSerdeConfig.from(configs);
    if (client == null) {
      client = new RestSchemaRegistryClient(RegistryClientConfig.from(configs));
      ownsClient = true;
    }
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    if (!(data instanceof GenericContainer record)) {
      throw new SerializationException("cannot serialise " + data.getClass().getName()
          + " as Avro: not a generated class or GenericRecord");
    }
    if (client == null) {
      throw new IllegalStateException("AvroSerializer used before configure()");
    }
    Schema schema = record.getSchema();
    Buffers local = buffers.get();
    // The steady state is one topic and one schema per thread: remember the last pair by
    // identity, so the hot path does no string building and no map lookup.
    if (topic != local.lastTopic || schema != local.lastSchema) {
      local.lastId = schemaId(WireFormat.subject(topic, isKey), schema);
      local.lastCompiled = data instanceof SpecificRecord
          ? specificWriters.computeIfAbsent(schema,
              s -> new CompiledWriter(s, SpecificData.getForSchema(s)))
          : null;
      local.lastGeneric = local.lastCompiled != null ? null
          : genericWriters.computeIfAbsent(schema, GenericDatumWriter::new);
      local.lastTopic = topic;
      local.lastSchema = schema;
    }
    int id = local.lastId;
    try {
      byte[] bytes;
      if (local.lastCompiled != null) {
        // Generated classes: encoded straight into this thread's array (reset per record, so a
        // record that fails half-written leaves nothing behind).
        local.output.reset(WireFormat.HEADER_SIZE);
        local.lastCompiled.write(data, local.output);
        bytes = local.output.toByteArray();
      } else {
        local.out.reset();
        local.out.write(HEADER_PLACEHOLDER, 0, WireFormat.HEADER_SIZE);
        // A new encoder per record: one left with part of a failed record would write it out.
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(local.out, null);
        local.lastGeneric.write(data, encoder);
        encoder.flush();
        bytes = local.out.toByteArray();
      }
      WireFormat.writeHeader(bytes, id);
      return bytes;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot serialise a " + schema.getFullName()
          + " for topic " + topic + ": " + e.getMessage(), e);
    }
  }

  private int schemaId(String subject, Schema schema) {
    Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    Integer cached = ids.get(schema);
    if (cached != null) {
      return cached;
    }
    int id;
    try {
      if (config.useLatestVersion()) {
        RegisteredSchema latest = client.latest(subject);
        if (!client.schemaById(latest.id()).equals(schema)) {
          throw new SerializationException("use.latest.version: the latest schema of " + subject
              + " (id " + latest.id() + ", version " + latest.version()
              + ") is not the record's schema " + schema.getFullName());
        }
        id = latest.id();
      } else if (config.autoRegister()) {
        id = client.register(subject, schema);
      } else {
        id = client.lookup(subject, schema).id();
      }
    } catch (SchemaRegistryException e) {
      throw new SerializationException("schema registry refused " + schema.getFullName()
          + " for subject " + subject + ": " + e.getMessage(), e);
    }
    ids.put(schema, id);
    return id;
  }

  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }

  /** Per-thread output buffers, reused across records, and the last schema used. */
  private static final class Buffers {
    final Output output = new Output(256);
    final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    String lastTopic;
    Schema lastSchema;
    int lastId;
    CompiledWriter lastCompiled;
    DatumWriter<Object> lastGeneric;
  }
}
