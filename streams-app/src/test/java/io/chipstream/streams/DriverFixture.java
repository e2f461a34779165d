package io.chipstream.streams;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.avro.DeviceState;
import io.chipstream.avro.Feature;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.PrivacyClass;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.avro.ThermalState;
import io.chipstream.avro.Workload;
import io.chipstream.catalog.ChipCatalogCsv;
import io.chipstream.schema.registry.InMemorySchemaRegistryClient;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.TopicNames;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The topology on a TopologyTestDriver, with the built-in catalog loaded. {@link #send} moves the
 * wall clock on by the partials' flush interval after each record, so each record reaches the
 * window aggregation before the next (as with a slow stream); {@link #hold} does not.
 */
final class DriverFixture implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  final ChipstreamSerdes serdes = ChipstreamSerdes.create(TopicNames.DEFAULT, registry,
      Map.of("schema.registry.url", "http://in-memory"));
  final ChipstreamTopics topics = serdes.topics();
  final Topology topology;
  final TopologyTestDriver driver;
  final TestInputTopic<String, ChipCapability> catalog;
  final TestInputTopic<String, InferenceRequest> requests;
  final TestInputTopic<String, TelemetrySample> telemetry;
  final TestInputTopic<byte[], byte[]> rawRequests;
  final TestInputTopic<byte[], byte[]> rawTelemetry;
  final TestOutputTopic<String, RoutingDecision> decisions;
  final TestOutputTopic<String, ChipFamilyEfficiency> efficiency;
  final TestOutputTopic<byte[], byte[]> deadLetters;
  private final java.time.Duration partialsFlush;

  DriverFixture(TopologyConfig config) {
    this(config, Map.of());
  }

  /** With {@code overrides} of the driver's Kafka Streams properties. */
  DriverFixture(TopologyConfig config, Map<String, Object> overrides) {
    partialsFlush = config.partialsFlush();
    topology = ChipstreamTopology.build(config, serdes);
    Properties props = properties();
    props.putAll(overrides);
    driver = new TopologyTestDriver(topology, props, T0);
    catalog = driver.createInputTopic(topics.catalog().name(), new StringSerializer(),
        topics.catalog().valueSerde().serializer());
    requests = driver.createInputTopic(topics.requests().name(), new StringSerializer(),
        topics.requests().valueSerde().serializer());
    telemetry = driver.createInputTopic(topics.telemetry().name(), new StringSerializer(),
        topics.telemetry().valueSerde().serializer());
    rawRequests = driver.createInputTopic(topics.requests().name(), new ByteArraySerializer(),
        new ByteArraySerializer());
    rawTelemetry = driver.createInputTopic(topics.telemetry().name(), new ByteArraySerializer(),
        new ByteArraySerializer());
    decisions = driver.createOutputTopic(topics.decisions().name(),
        topics.decisions().keySerde().deserializer(),
        topics.decisions().valueSerde().deserializer());
    efficiency = driver.createOutputTopic(topics.efficiency().name(),
        topics.efficiency().keySerde().deserializer(),
        topics.efficiency().valueSerde().deserializer());
    deadLetters = driver.createOutputTopic(topics.deadLetters().name(),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    for (ChipCapability chip : ChipCatalogCsv.builtIn(T0)) {
      catalog.pipeInput(chip.getChipModel(), chip, T0);
    }
  }

  static TopologyConfig config() {
    return TopologyConfig.defaults().withCatalogRefresh(java.time.Duration.ZERO)
        .withPartialsFlush(java.time.Duration.ofMillis(1));
  }

  static Properties properties() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "chipstream-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    return props;
  }

  /** A small request a capable device runs locally. */
  static InferenceRequest.Builder request(String id, Instant at) {
    return InferenceRequest.newBuilder()
        .setRequestId(id).setDeviceId("device-" + id).setDeviceChip("a17-pro")
        .setTimestamp(at).setFeature(Feature.WRITING_TOOLS)
        .setPromptTokens(300).setMaxOutputTokens(60)
        .setPrivacyClass(PrivacyClass.NON_PERSONAL)
        .setDeviceState(new DeviceState(80, true, ThermalState.NOMINAL));
  }

  static TelemetrySample.Builder sample(String source, String chip, Instant at) {
    return TelemetrySample.newBuilder()
        .setSourceId(source).setChipModel(chip).setTimestamp(at).setIntervalMs(10_000)
        .setWorkload(Workload.INFERENCE).setAvgPowerWatts(100).setUtilization(0.5)
        .setTokensProcessed(5_000).setRequestsCompleted(20);
  }

  /** Pipes the request, then moves the wall clock on by the flush interval. */
  void send(InferenceRequest request) {
    pipe(request);
    flushPartials();
  }

  void send(TelemetrySample sample) {
    pipe(sample);
    flushPartials();
  }

  /**
   * Pipes the request without moving the wall clock. The driver commits after each record, and
   * a commit sends the partial sums on: its sum crosses to the windows all the same.
   */
  void pipe(InferenceRequest request) {
    requests.pipeInput(request.getRequestId(), request, request.getTimestamp());
  }

  void pipe(TelemetrySample sample) {
    telemetry.pipeInput(sample.getSourceId(), sample, sample.getTimestamp());
  }

  /** Moves the wall clock on by the flush interval (the partial sums' and other punctuations). */
  void flushPartials() {
    driver.advanceWallClockTime(partialsFlush);
  }

  @Override
  public void close() {
    driver.close();
  }
}
