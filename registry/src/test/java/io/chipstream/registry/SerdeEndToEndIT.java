package io.chipstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.DeviceState;
import io.chipstream.avro.ExecutionTarget;
import io.chipstream.avro.Feature;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.serde.AvroDeserializer;
import io.chipstream.schema.serde.AvroSerde;
import io.chipstream.schema.serde.AvroSerializer;
import io.chipstream.schema.serde.WireFormat;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer, a Kafka Streams app and a consumer, all through the project's serde and the
 * embedded registry: the path every Chipstream record takes.
 */
@WithKafka
class SerdeEndToEndIT {
  private static final int RECORDS = 200;
  private SchemaRegistryServer registry;

  @BeforeEach
  void start(TestKafka kafka) {
    registry = SchemaRegistryServer.builder(kafka.bootstrapServers())
        .topic(kafka.uniqueName("_schemas")).build().start();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void producerStreamsAppAndConsumerShareTheWireFormat(TestKafka kafka, @TempDir Path state)
      throws Exception {
    String input = kafka.uniqueName("requests");
    String output = kafka.uniqueName("decisions");
    kafka.createTopics(3, input, output);
    Map<String, Object> serdeConfig = Map.of("schema.registry.url", registry.url());

    Map<String, Object> producerConfig = new HashMap<>(kafka.clientConfig());
    producerConfig.putAll(serdeConfig);
    producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, InferenceRequest> producer = new KafkaProducer<>(producerConfig)) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(new ProducerRecord<>(input, "req-" + i, request(i)));
      }
      producer.flush();
    }

    try (KafkaStreams streams = new KafkaStreams(decideEverythingLocally(input, output,
        serdeConfig), streamsConfig(kafka, state))) {
      streams.start();
      List<ConsumerRecord<String, RoutingDecision>> decisions = consume(kafka, output, serdeConfig);

      assertThat(decisions).hasSize(RECORDS);
      assertThat(decisions).extracting(ConsumerRecord::key).doesNotHaveDuplicates();
      assertThat(decisions.get(0).value()).isInstanceOf(RoutingDecision.class);
      assertThat(decisions).allSatisfy(r ->
          assertThat(r.value().getPromptTokens()).isEqualTo(Integer.parseInt(
              r.key().substring(4)) + 100));
    }

    try (RestSchemaRegistryClient client = RestSchemaRegistryClient.forUrl(registry.url())) {
      assertThat(client.subjects()).containsExactlyInAnyOrder(input + "-value", output + "-value");
      assertThat(client.latest(input + "-value").id())
          .isEqualTo(WireFormat.schemaId(firstRawValue(kafka, input)));
    }
  }

  private static org.apache.kafka.streams.Topology decideEverythingLocally(String input,
      String output, Map<String, Object> serdeConfig) {
    StreamsBuilder builder = new StreamsBuilder();
    AvroSerde<InferenceRequest> requests =
        AvroSerde.specific(InferenceRequest.class).configured(serdeConfig, false);
    AvroSerde<RoutingDecision> decisions =
        AvroSerde.specific(RoutingDecision.class).configured(serdeConfig, false);
    builder.stream(input, Consumed.with(Serdes.String(), requests).withName("read-requests"))
        .mapValues(SerdeEndToEndIT::decide, Named.as("decide-local"))
        .to(output, Produced.with(Serdes.String(), decisions).withName("write-decisions"));
    return builder.build();
  }

  private static RoutingDecision decide(InferenceRequest request) {
    return RoutingDecision.newBuilder()
        .setRequestId(request.getRequestId())
        .setTimestamp(request.getTimestamp())
        .setTarget(ExecutionTarget.LOCAL)
        .setChipModel(request.getDeviceChip())
        .setChipFamily(ChipFamily.APPLE_A_SERIES)
        .setEstimatedLatencyMs(1)
        .setEstimatedEnergyJoules(1)
        .setEstimatedCostUsd(0)
        .setPromptTokens(request.getPromptTokens())
        .setOutputTokens(request.getMaxOutputTokens())
        .build();
  }

  private static InferenceRequest request(int i) {
    return InferenceRequest.newBuilder()
        .setRequestId("req-" + i)
        .setDeviceId("device-" + (i % 7))
        .setDeviceChip("a17-pro")
        .setTimestamp(Instant.ofEpochMilli(1_700_000_000_000L + i))
        .setFeature(Feature.SMART_REPLY)
        .setPromptTokens(100 + i)
        .setMaxOutputTokens(20)
        .setDeviceState(new DeviceState(80, false, io.chipstream.avro.ThermalState.NOMINAL))
        .build();
  }

  @SuppressWarnings("deprecation") // the global handler flag: set now, default from Kafka 5.0
  private static Properties streamsConfig(TestKafka kafka, Path state) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, kafka.uniqueName("serde-e2e"));
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    return props;
  }

  private static List<ConsumerRecord<String, RoutingDecision>> consume(TestKafka kafka,
      String topic, Map<String, Object> serdeConfig) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.putAll(serdeConfig);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.uniqueName("reader"));
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class);
    config.put("specific.avro.reader", true);
    List<ConsumerRecord<String, RoutingDecision>> records = new ArrayList<>();
    try (KafkaConsumer<String, RoutingDecision> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return records.size() >= RECORDS;
      });
      consumer.poll(Duration.ofSeconds(1)).forEach(records::add); // anything extra shows here
    }
    return records;
  }

  private static byte[] firstRawValue(TestKafka kafka, String topic) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.uniqueName("raw"));
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config,
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<byte[]> values = new ArrayList<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
        return !values.isEmpty();
      });
      return values.get(0);
    }
  }
}
