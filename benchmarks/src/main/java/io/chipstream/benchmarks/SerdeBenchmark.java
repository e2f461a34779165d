package io.chipstream.benchmarks;

import io.chipstream.avro.RoutingDecision;
import io.chipstream.schema.AvroTrust;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.serde.AvroDeserializer;
import io.chipstream.schema.serde.AvroSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Confluent-wire-format serde against plain Avro binary encoding of the same record, once
 * the schema id is cached (the steady state of every producer and Streams task). Goal: within
 * 1.2x of plain Avro. The registry is real: the embedded one on a child-JVM broker.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SerdeBenchmark {
  private static final String TOPIC = "routing-decisions";

  private LocalRegistry registry;
  private RoutingDecision record;
  private SpecificDatumWriter<RoutingDecision> plainWriter;
  private SpecificDatumReader<RoutingDecision> plainReader;
  private ByteArrayOutputStream out;
  private BinaryEncoder encoder;
  private BinaryDecoder decoder;
  private byte[] plainBytes;
  private byte[] wireBytes;
  private AvroSerializer<RoutingDecision> serializer;
  private AvroDeserializer<RoutingDecision> deserializer;

  @Setup
  public void setUp() throws IOException {
    AvroTrust.install();
    registry = new LocalRegistry();
    record = io.chipstream.schema.Examples.decision();
    plainWriter = new SpecificDatumWriter<>(RoutingDecision.class);
    plainReader = new SpecificDatumReader<>(RoutingDecision.class);
    out = new ByteArrayOutputStream(256);
    plainBytes = plainSerialize();

    RestSchemaRegistryClient client = RestSchemaRegistryClient.forUrl(registry.url());
    serializer = new AvroSerializer<>(client);
    serializer.configure(Map.of("schema.registry.url", registry.url()), false);
    deserializer = new AvroDeserializer<>(RoutingDecision.class, client);
    deserializer.configure(Map.of("schema.registry.url", registry.url()), false);
    wireBytes = serializer.serialize(TOPIC, record);
    deserializer.deserialize(TOPIC, wireBytes);
  }

  @TearDown
  public void tearDown() {
    registry.close();
  }

  @Benchmark
  public byte[] plainSerialize() throws IOException {
    out.reset();
    encoder = EncoderFactory.get().binaryEncoder(out, encoder);
    plainWriter.write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  @Benchmark
  public byte[] chipstreamSerialize() {
    return serializer.serialize(TOPIC, record);
  }

  @Benchmark
  public RoutingDecision plainDeserialize() throws IOException {
    decoder = DecoderFactory.get().binaryDecoder(plainBytes, decoder);
    return plainReader.read(null, decoder);
  }

  @Benchmark
  public RoutingDecision chipstreamDeserialize() {
    return deserializer.deserialize(TOPIC, wireBytes);
  }
}
