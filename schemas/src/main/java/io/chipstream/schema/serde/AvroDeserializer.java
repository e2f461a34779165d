package io.chipstream.schema.serde;

import io.chipstream.schema.AvroTrust;
import io.chipstream.schema.registry.RegistryClientConfig;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.registry.SchemaRegistryClient;
import io.chipstream.schema.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the Confluent wire format. The writer's schema is fetched by id (once, then
 * cached) and resolved against the reader's: the target class's schema for a typed deserializer,
 * the generated class's with {@code specific.avro.reader=true}, else the writer's own (a {@code
 * GenericRecord}). So records written with an older or newer compatible schema both decode.
 * Records written with the generated class's own layout, nearly all of them, skip the
 * resolution: a {@link CompiledReader} reads them straight from the bytes.
 *
 * <p>A record that cannot be read (not the wire format, an id the registry does not have, bytes
 * that do not decode) is a {@code SerializationException}; a registry that cannot be asked
 * (unreachable, credentials refused) is a {@code SchemaRegistryException}, to retry later.
 *
 * @param <T> the record type
 */
public class AvroDeserializer<T> implements Deserializer<T> {
  static {
    AvroTrust.install();
  }

  private final Class<T> targetType;
  private SchemaRegistryClient client;
  private boolean ownsClient;
  private boolean specificReader;
  /** By writer schema id: the reader schema is fixed per deserializer, so the id decides. */
  private final Map<Integer, BodyReader<T>> readers = new ConcurrentHashMap<>();
  /**
   * The reader of the last schema id read: a topic's records nearly all carry one id, and the
   * map lookup per record showed in the profile. Immutable, so any thread may use what it sees.
   */
  private volatile LastReader<T> last;
  private final PerThread<BinaryDecoder> decoders = new PerThread<>(() -> null);

  /** For Kafka to instantiate from {@code value.deserializer}; yields what the config says. */
  public AvroDeserializer() {
    this(null, null);
  }

  /**
   * A deserializer of {@code targetType}, a generated class, or of any record when null.
   *
   * @param targetType the generated class to decode into, or null
   * @param client a shared client the caller closes, or null to make one in {@link #configure}
   */
  public AvroDeserializer(Class<T> targetType, SchemaRegistryClient client) {
    this.targetType = targetType;
    this.client = client;
    this.specificReader = targetType != null;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (targetType == null) {
      specificReader = AvroSerdeConfig.from(configs).specificReader();
    }
    if (client == null) {
      client = new RestSchemaRegistryClient(RegistryClientConfig.from(configs));
      ownsClient = true;
    }
  }

  @Override
  public T deserialize(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (client == null) {
      throw new IllegalStateException("AvroDeserializer used before configure()");
    }
    int id = WireFormat.schemaId(bytes);
    LastReader<T> seen = last;
    BodyReader<T> reader;
    if (seen != null && seen.id() == id) {
      reader = seen.reader();
    } else {
      reader = readers.get(id);
      if (reader == null) {
        reader = readers.computeIfAbsent(id, unused -> readerFor(topic, id));
      }
      last = new LastReader<>(id, reader);
    }
    try {
      return reader.read(bytes);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot decode a record of topic " + topic
          + " with schema id " + id + ": " + e, e);
    }
  }

  private BodyReader<T> readerFor(String topic, int id) {
    Schema writer;
    try {
      writer = client.schemaById(id);
    } catch (SchemaRegistryException.NotFoundException e) {
      throw new SerializationException("cannot read a record of topic " + topic
          + ": schema id " + id + " is not in the registry (" + e.getMessage() + ")", e);
    }
    // Any other registry failure (unreachable, credentials refused, a server error) is not the
    // record's fault: it propagates as it is, so the caller retries instead of rejecting it.
    if (!specificReader) {
      return avro(new GenericDatumReader<>(writer, writer));
    }
    Schema reader = readerSchema(writer);
    if (CompiledReader.sameLayout(writer, reader)) {
      // The common case, a record written with the reader's own schema: read in place.
      CompiledReader compiled = new CompiledReader(reader, SpecificData.getForSchema(reader));
      @SuppressWarnings("unchecked")
      BodyReader<T> body = bytes -> (T) compiled.read(bytes, WireFormat.HEADER_SIZE,
          bytes.length - WireFormat.HEADER_SIZE);
      return body;
    }
    return avro(new SpecificDatumReader<>(writer, reader));
  }

  /** Avro's reader, which resolves the writer's schema against the reader's. */
  private BodyReader<T> avro(DatumReader<T> reader) {
    return bytes -> {
      BinaryDecoder reuse = decoders.get();
      BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, WireFormat.HEADER_SIZE,
          bytes.length - WireFormat.HEADER_SIZE, reuse);
      if (decoder != reuse) {
        decoders.set(decoder);
      }
      return reader.read(null, decoder);
    };
  }

  private Schema readerSchema(Schema writer) {
    Class<?> type = targetType != null ? targetType : SpecificData.get().getClass(writer);
    if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
      throw new SerializationException("specific.avro.reader is set but no generated class "
          + "exists for " + writer.getFullName());
    }
    Schema reader = SpecificData.get().getSchema(type);
    if (targetType != null && !reader.getFullName().equals(writer.getFullName())) {
      throw new SerializationException("expected a " + reader.getFullName() + " but the record "
          + "was written as " + writer.getFullName());
    }
    return reader;
  }

  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }

  /** Decodes a record's body, the bytes after the wire format's header. */
  @FunctionalInterface
  private interface BodyReader<T> {
    T read(byte[] bytes) throws IOException;
  }

  private record LastReader<T>(int id, BodyReader<T> reader) {}
}
