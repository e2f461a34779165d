package io.chipstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.avro.DeviceState;
import io.chipstream.avro.Feature;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.PrivacyClass;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.avro.ThermalState;
import io.chipstream.avro.Workload;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.TopicNames;
import io.chipstream.streams.ChipstreamTopology;
import io.chipstream.streams.EmitMode;
import io.chipstream.streams.LivePipeline;
import io.chipstream.streams.TopologyConfig;
import io.chipstream.streams.avro.FamilyWindowAggregate;
import io.chipstream.streams.validate.DeadLetterProcessor;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on the real test broker with the embedded registry, exactly-once: the
 * invariants of the topology tests hold end to end.
 */
@WithKafka
class PipelineIT {
  private static final int REQUESTS = 300;

  @Test
  void oneDecisionPerValidRequestBadOnesDeadLetteredAndNoTokenLost(TestKafka kafka,
      @TempDir Path state) throws Exception {
    try (LivePipeline pipeline = LivePipeline.start(kafka, "it", 3)) {
      TopicNames names = pipeline.names();
      ChipstreamTopics topics = pipeline.topics();

      // Event times an hour ago: three minutes of requests, then records that close the windows.
      Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
      StreamsSettings settings = new StreamsSettings(kafka.bootstrapServers(),
          pipeline.registryUrl(), kafka.uniqueName("chipstream-it"), state, "exactly_once_v2",
          1, 3, names,
          // The grace covers the event-time skew between the three input partitions, which
          // meet in the one-partition aggregation: a shorter one could drop records as late.
          TopologyConfig.defaults().withWindows(Duration.ofMinutes(1), Duration.ofMinutes(1),
              Duration.ofMinutes(2), EmitMode.FINAL),
          Map.of("commit.interval.ms", "100"));

      try (ChipstreamStreams app = new ChipstreamStreams(settings).start()) {
        long tokens = produce(kafka, topics, base);

        List<ConsumerRecord<String, RoutingDecision>> decisions = readUntil(kafka,
            names.decisions(), topics.decisions().valueSerde().deserializer(), REQUESTS);
        assertThat(decisions).hasSize(REQUESTS);
        assertThat(decisions).extracting(ConsumerRecord::key).doesNotHaveDuplicates();

        List<ConsumerRecord<byte[], byte[]>> dead = readDeadLetters(kafka, names.deadLetters(),
            3);
        assertThat(dead).hasSize(3);
        assertThat(dead).extracting(r -> new String(
                r.headers().lastHeader(DeadLetterProcessor.REASON).value(), StandardCharsets.UTF_8))
            .containsExactlyInAnyOrder("DESERIALIZATION_FAILED", "INVALID_TOKENS",
                "UNKNOWN_CHIP");
        assertThat(dead).anySatisfy(r -> assertThat(r.value())
            .isEqualTo("garbage".getBytes(StandardCharsets.UTF_8)));

        // Close the windows only once every request is in them: each input task sends its
        // partial sums on every 100 ms, and a far later record overtaking another task's sums
        // would make them late.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
            requestsInWindows(app, base, base.plus(Duration.ofMinutes(3))) == REQUESTS);
        closeWindows(kafka, topics, base);

        Map<String, ChipFamilyEfficiency> finals = new HashMap<>();
        Deserializer<ChipFamilyEfficiency> efficiency = topics.efficiency().valueSerde()
            .deserializer();
        try (KafkaConsumer<String, ChipFamilyEfficiency> consumer = consumer(kafka,
            names.efficiency(), efficiency)) {
          List<String> seen = new ArrayList<>();
          try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
              for (ConsumerRecord<String, ChipFamilyEfficiency> r :
                  consumer.poll(Duration.ofMillis(200))) {
                seen.add(r.key() + " final=" + r.value().getIsFinal() + " tokens="
                    + (r.value().getPromptTokens() + r.value().getOutputTokens()));
                if (r.value().getWindowStart().isBefore(base.plus(Duration.ofMinutes(3)))) {
                  assertThat(finals.put(r.key(), r.value())).as("one final per window").isNull();
                }
              }
              return sumTokens(finals) >= tokens;
            });
          } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("finals: " + sumTokens(finals) + " of " + tokens
                + " tokens; base " + base + "; records " + seen, e);
          }
          assertThat(consumer.poll(Duration.ofSeconds(2))).allSatisfy(r ->
              assertThat(r.value().getWindowStart()).isAfterOrEqualTo(
                  base.plus(Duration.ofMinutes(3))));
        }
        assertThat(sumTokens(finals)).isEqualTo(tokens);
        assertThat(finals.values().stream().mapToLong(ChipFamilyEfficiency::getRequests).sum())
            .isEqualTo(REQUESTS);
        assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
      }
    }
  }

  private static long produce(TestKafka kafka, ChipstreamTopics topics, Instant base)
      throws Exception {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    long tokens = 0;
    Serializer<InferenceRequest> requests = topics.requests().valueSerde().serializer();
    Serializer<TelemetrySample> telemetry = topics.telemetry().valueSerde().serializer();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config,
        (topic, data) -> data, (topic, data) -> data)) {
      for (int i = 0; i < REQUESTS; i++) {
        Instant at = base.plusMillis(600L * i); // three minutes
        InferenceRequest request = InferenceRequest.newBuilder()
            .setRequestId("req-" + i).setDeviceId("dev-" + (i % 17))
            .setDeviceChip(i % 10 == 0 ? "a16-bionic" : "a17-pro").setTimestamp(at)
            .setFeature(i % 7 == 0 ? Feature.SIRI : Feature.WRITING_TOOLS)
            .setPromptTokens(100 + (i * 37) % 5000).setMaxOutputTokens(20 + i % 200)
            .setPrivacyClass(i % 3 == 0 ? PrivacyClass.PERSONAL : PrivacyClass.NON_PERSONAL)
            .setDeviceState(new DeviceState(10 + i % 90, i % 4 == 0, ThermalState.NOMINAL))
            .build();
        tokens += request.getPromptTokens() + request.getMaxOutputTokens();
        send(producer, topics.requests().name(), request.getRequestId(),
            requests.serialize(topics.requests().name(), request), at);
        if (i % 50 == 0) {
          TelemetrySample sample = sample("xeon-node", "xeon-8480", at);
          send(producer, topics.telemetry().name(), sample.getSourceId(),
              telemetry.serialize(topics.telemetry().name(), sample), at);
        }
      }
      send(producer, topics.requests().name(), "bad-1",
          "garbage".getBytes(StandardCharsets.UTF_8), base);
      InferenceRequest negative = InferenceRequest.newBuilder()
          .setRequestId("bad-2").setDeviceId("d").setDeviceChip("a17-pro").setTimestamp(base)
          .setFeature(Feature.SMART_REPLY).setPromptTokens(-1).setMaxOutputTokens(5).build();
      send(producer, topics.requests().name(), "bad-2",
          requests.serialize(topics.requests().name(), negative), base);
      TelemetrySample unknown = sample("mystery", "tpu-v9", base);
      send(producer, topics.telemetry().name(), "mystery",
          telemetry.serialize(topics.telemetry().name(), unknown), base);
      producer.flush();
    }
    return tokens;
  }

  /** Telemetry far later: moves stream time past every window of the first three minutes. */
  private static void closeWindows(TestKafka kafka, ChipstreamTopics topics, Instant base)
      throws Exception {
    Serializer<TelemetrySample> telemetry = topics.telemetry().valueSerde().serializer();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientConfig(),
        (topic, data) -> data, (topic, data) -> data)) {
      for (int minutes : new int[] {20, 40}) {
        Instant late = base.plus(Duration.ofMinutes(minutes));
        TelemetrySample flush = sample("xeon-node", "xeon-8480", late);
        send(producer, topics.telemetry().name(), flush.getSourceId(),
            telemetry.serialize(topics.telemetry().name(), flush), late);
      }
    }
  }

  /** Requests the app's window store holds in windows starting in [from, to). */
  static long requestsInWindows(ChipstreamStreams app, Instant from, Instant to) {
    ReadOnlyWindowStore<String, FamilyWindowAggregate> store = app.kafkaStreams().store(
        StoreQueryParameters.fromNameAndType(ChipstreamTopology.FAMILY_WINDOW_STORE,
            QueryableStoreTypes.windowStore()));
    long requests = 0;
    try (KeyValueIterator<Windowed<String>, FamilyWindowAggregate> windows =
        store.fetchAll(from, to.minusMillis(1))) {
      while (windows.hasNext()) {
        requests += windows.next().value.getRequests();
      }
    }
    return requests;
  }

  static TelemetrySample sample(String source, String chip, Instant at) {
    return TelemetrySample.newBuilder().setSourceId(source).setChipModel(chip).setTimestamp(at)
        .setIntervalMs(10_000).setWorkload(Workload.INFERENCE).setAvgPowerWatts(300)
        .setUtilization(0.6).setTokensProcessed(3_000).setRequestsCompleted(10).build();
  }

  static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key,
      byte[] value, Instant at) throws Exception {
    producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(),
        key.getBytes(StandardCharsets.UTF_8), value)).get();
  }

  private static long sumTokens(Map<String, ChipFamilyEfficiency> finals) {
    return finals.values().stream().mapToLong(e -> e.getPromptTokens() + e.getOutputTokens())
        .sum();
  }

  static <V> KafkaConsumer<String, V> consumer(TestKafka kafka, String topic,
      Deserializer<V> values) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.uniqueName("reader"));
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config,
        new org.apache.kafka.common.serialization.StringDeserializer(), values);
    consumer.subscribe(List.of(topic));
    return consumer;
  }

  static <V> List<ConsumerRecord<String, V>> readUntil(TestKafka kafka, String topic,
      Deserializer<V> values, int expected) {
    List<ConsumerRecord<String, V>> records = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer = consumer(kafka, topic, values)) {
      await().atMost(Duration.ofSeconds(90)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return records.size() >= expected;
      });
      consumer.poll(Duration.ofSeconds(2)).forEach(records::add); // duplicates would show here
    }
    return records;
  }

  /** Reads until {@code expected} records, then two seconds more: a duplicate would show. */
  static List<ConsumerRecord<byte[], byte[]>> readDeadLetters(TestKafka kafka,
      String topic, int expected) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.uniqueName("dlq-reader"));
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config,
        (t, b) -> b, (t, b) -> b)) {
      consumer.subscribe(List.of(topic));
      await().atMost(Duration.ofSeconds(90)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return records.size() >= expected;
      });
      consumer.poll(Duration.ofSeconds(2)).forEach(records::add);
    }
    return records;
  }
}
