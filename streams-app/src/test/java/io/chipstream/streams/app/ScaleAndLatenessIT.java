package io.chipstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.avro.DeviceState;
import io.chipstream.avro.Feature;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.avro.ThermalState;
import io.chipstream.catalog.ChipCatalogCsv;
import io.chipstream.producers.catalog.CatalogLoader;
import io.chipstream.registry.SchemaRegistryServer;
import io.chipstream.schema.Examples;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.TopicAdmin;
import io.chipstream.schema.topics.TopicNames;
import io.chipstream.streams.ChipstreamSerdes;
import io.chipstream.streams.ChipstreamTopology;
import io.chipstream.streams.EmitMode;
import io.chipstream.streams.TopologyConfig;
import io.chipstream.streams.aggregate.Observations;
import io.chipstream.streams.avro.FamilyWindowAggregate;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances share the work; requests one instance committed are counted once by another
 * with no state; sums an earlier version left in the partial sums' changelog are counted once;
 * a record later than the grace period is dropped and counted.
 */
@WithKafka
class ScaleAndLatenessIT {
  private SchemaRegistryServer registry;
  private RestSchemaRegistryClient client;
  private TopicNames names;
  private ChipstreamTopics topics;
  private TestKafka kafka;

  @BeforeEach
  void start(TestKafka kafka) {
    this.kafka = kafka;
    registry = SchemaRegistryServer.builder(kafka.bootstrapServers())
        .topic(kafka.uniqueName("_schemas")).build().start();
    client = RestSchemaRegistryClient.forUrl(registry.url());
    names = TopicNames.withPrefix(kafka.uniqueName("it") + ".");
    topics = ChipstreamTopics.create(names, client, Map.of("schema.registry.url", registry.url()));
    TopicAdmin.ensure(kafka.clientConfig(), names, 3);
    new CatalogLoader(kafka.clientConfig(), topics.catalog())
        .load(ChipCatalogCsv.builtIn(Instant.now()));
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private StreamsSettings settings(String applicationId, Path state, EmitMode mode,
      Duration grace) {
    return settings(applicationId, state, mode, grace, TopologyConfig.defaults().partialsFlush());
  }

  private StreamsSettings settings(String applicationId, Path state, EmitMode mode,
      Duration grace, Duration partialsFlush) {
    return new StreamsSettings(kafka.bootstrapServers(), registry.url(), applicationId, state,
        "exactly_once_v2", 1, 3, names, TopologyConfig.defaults()
            .withWindows(Duration.ofMinutes(1), Duration.ofMinutes(1), grace, mode)
            .withPartialsFlush(partialsFlush),
        // A closed instance stays in the group until its session times out: keep that short.
        Map.of("commit.interval.ms", "100", "session.timeout.ms", "6000"));
  }

  @Test
  @SuppressWarnings("try") // the first instance runs while the block does; it is not called
  void requestsCommittedOnOneInstanceAreCountedOnceOnAnotherWithNoState(@TempDir Path first,
      @TempDir Path second) throws Exception {
    Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
    String id = kafka.uniqueName("restore");
    // The first instance never sends its sums on at a flush (flushes fall on multiples of the
    // interval since the epoch: a year apart): only its commits send them, in the transactions
    // that commit the requests' offsets.
    try (ChipstreamStreams app = new ChipstreamStreams(settings(id, first, EmitMode.EAGER,
        Duration.ofSeconds(30), Duration.ofDays(365))).start();
        KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < 10; i++) {
        send(producer, request("held-" + i, base.plusSeconds(3L * i)));
      }
      PipelineIT.readUntil(kafka, names.decisions(), topics.decisions().valueSerde()
          .deserializer(), 10);
    }
    // Another instance, on an empty state folder, restores the window from its changelog.
    try (ChipstreamStreams app = new ChipstreamStreams(settings(id, second, EmitMode.EAGER,
        Duration.ofSeconds(30))).start();
        KafkaConsumer<String, ChipFamilyEfficiency> efficiency = PipelineIT.consumer(kafka,
            names.efficiency(), topics.efficiency().valueSerde().deserializer())) {
      String window0 = "APPLE_A_SERIES@" + base;
      Map<String, ChipFamilyEfficiency> latest = new HashMap<>();
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        efficiency.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.key(), r.value()));
        return latest.containsKey(window0) && latest.get(window0).getRequests() >= 10;
      });
      efficiency.poll(Duration.ofSeconds(2)).forEach(r -> latest.put(r.key(), r.value()));
      assertThat(latest.get(window0).getRequests()).as("every request, once").isEqualTo(10);
      assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }
  }

  @Test
  void sumsAnEarlierVersionLeftInTheChangelogAreCountedOnceAndDeleted(@TempDir Path state)
      throws Exception {
    Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
    String id = kafka.uniqueName("upgrade");
    // What a version that held sums across commits left at its last commit: 7 requests'
    // sum in partition 0 of the request tasks' store changelog, as a timestamped store logs it
    // (the key as a string, the value's Avro bytes, the value's time as the record's).
    String changelog = id + "-" + ChipstreamTopology.REQUEST_PARTIALS_STORE + "-changelog";
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      admin.createTopics(List.of(new NewTopic(changelog, 3, (short) 1).configs(Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
    }
    FamilyWindowAggregate held = Observations.empty("APPLE_A_SERIES");
    for (int i = 0; i < 7; i++) {
      Observations.add(held, RoutingDecision.newBuilder(Examples.decision())
          .setChipFamily(ChipFamily.APPLE_A_SERIES).build());
    }
    String key = "APPLE_A_SERIES@" + base.toEpochMilli();
    long heldAt = base.plusSeconds(5).toEpochMilli();
    ChipstreamSerdes serdes = ChipstreamSerdes.create(names, client,
        Map.of("schema.registry.url", registry.url()));
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      producer.send(new ProducerRecord<>(changelog, 0, heldAt,
          key.getBytes(StandardCharsets.UTF_8),
          serdes.aggregate().serializer().serialize(changelog, held))).get();
    } finally {
      serdes.aggregate().close();
    }

    try (ChipstreamStreams app = new ChipstreamStreams(settings(id, state, EmitMode.EAGER,
        Duration.ofSeconds(30))).start();
        KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < 3; i++) {
        send(producer, request("new-" + i, base.plusSeconds(10L + i)));
      }
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
          PipelineIT.requestsInWindows(app, base, base.plusSeconds(60)) >= 10);
      // Two more commits, each sending whatever sums are held: nothing more may arrive.
      double commits = commits(app);
      await().atMost(Duration.ofSeconds(30)).until(() -> commits(app) >= commits + 2);
      assertThat(PipelineIT.requestsInWindows(app, base, base.plusSeconds(60)))
          .as("the 7 left in the changelog and the 3 new ones, once each").isEqualTo(10);
    }
    Map<String, byte[]> latest = new HashMap<>();
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config,
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(changelog, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(r ->
            latest.put(new String(r.key(), StandardCharsets.UTF_8), r.value()));
      }
    }
    assertThat(latest).as("deleted once sent on: a tombstone is its last record")
        .containsEntry(key, null).hasSize(1);
  }

  @Test
  void twoInstancesWithOneApplicationIdShareThePartitions(@TempDir Path a, @TempDir Path b)
      throws Exception {
    String id = kafka.uniqueName("shared");
    try (ChipstreamStreams first = new ChipstreamStreams(settings(id, a, EmitMode.EAGER,
        Duration.ofSeconds(30))).start();
        ChipstreamStreams second = new ChipstreamStreams(settings(id, b, EmitMode.EAGER,
            Duration.ofSeconds(30))).start()) {
      await().atMost(Duration.ofSeconds(60)).until(() ->
          first.state() == KafkaStreams.State.RUNNING
              && second.state() == KafkaStreams.State.RUNNING
              && activeTasks(first) > 0 && activeTasks(second) > 0);

      Instant base = Instant.now().minus(Duration.ofMinutes(10));
      try (KafkaProducer<byte[], byte[]> producer = producer()) {
        for (int i = 0; i < 200; i++) {
          send(producer, request("req-" + i, base.plusMillis(100L * i)));
        }
      }
      List<ConsumerRecord<String, RoutingDecision>> decisions = PipelineIT.readUntil(kafka,
          names.decisions(), topics.decisions().valueSerde().deserializer(), 200);

      assertThat(decisions).hasSize(200);
      assertThat(decisions).extracting(ConsumerRecord::key).doesNotHaveDuplicates();
      assertThat(activeTasks(first) + activeTasks(second))
          .as("the input partitions' tasks are split between the two").isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void aRecordLaterThanTheGraceIsDroppedAndCounted(@TempDir Path state) throws Exception {
    Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
    try (ChipstreamStreams app = new ChipstreamStreams(settings(kafka.uniqueName("late"), state,
        EmitMode.FINAL, Duration.ofSeconds(10))).start();
        KafkaProducer<byte[], byte[]> producer = producer();
        KafkaConsumer<String, ChipFamilyEfficiency> efficiency = PipelineIT.consumer(kafka,
            names.efficiency(), topics.efficiency().valueSerde().deserializer())) {
      for (int i = 0; i < 10; i++) {
        send(producer, request("on-time-" + i, base.plusSeconds(3L * i)));
      }
      // The requests' partitions are processed independently: let them through before the
      // record that moves stream time on, else one could arrive after it and be late already.
      PipelineIT.readUntil(kafka, names.decisions(), topics.decisions().valueSerde()
          .deserializer(), 10);
      send(producer, PipelineIT.sample("xeon-node", "xeon-8480", base.plus(Duration.ofMinutes(5))));
      String window0 = "APPLE_A_SERIES@" + base;
      Map<String, ChipFamilyEfficiency> finals = new HashMap<>();
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        efficiency.poll(Duration.ofMillis(200)).forEach(r -> finals.put(r.key(), r.value()));
        return finals.containsKey(window0);
      });
      assertThat(finals.get(window0).getRequests()).isEqualTo(10);

      send(producer, request("too-late", base.plusSeconds(20)));
      await().atMost(Duration.ofSeconds(60)).until(() -> droppedRecords(app) >= 1.0);

      List<ConsumerRecord<String, ChipFamilyEfficiency>> after = new ArrayList<>();
      efficiency.poll(Duration.ofSeconds(3)).forEach(after::add);
      assertThat(after).noneMatch(r -> r.key().equals(window0));
      assertThat(droppedRecords(app)).isEqualTo(1.0);
    }
  }

  private static int activeTasks(ChipstreamStreams app) {
    int tasks = 0;
    for (ThreadMetadata thread : app.kafkaStreams().metadataForLocalThreads()) {
      tasks += thread.activeTasks().size();
    }
    return tasks;
  }

  /** The commits of the app's stream threads so far (Kafka Streams' {@code commit-total}). */
  private static double commits(ChipstreamStreams app) {
    double total = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : app.kafkaStreams().metrics().entrySet()) {
      if (e.getKey().name().equals("commit-total")
          && e.getKey().group().equals("stream-thread-metrics")) {
        total += ((Number) e.getValue().metricValue()).doubleValue();
      }
    }
    return total;
  }

  static double droppedRecords(ChipstreamStreams app) {
    double total = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : app.kafkaStreams().metrics().entrySet()) {
      if (e.getKey().name().equals("dropped-records-total")) {
        total += ((Number) e.getValue().metricValue()).doubleValue();
      }
    }
    return total;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(config, (t, d) -> d, (t, d) -> d);
  }

  private void send(KafkaProducer<byte[], byte[]> producer, InferenceRequest request)
      throws Exception {
    Serializer<InferenceRequest> serializer = topics.requests().valueSerde().serializer();
    PipelineIT.send(producer, names.requests(), request.getRequestId(),
        serializer.serialize(names.requests(), request), request.getTimestamp());
  }

  private void send(KafkaProducer<byte[], byte[]> producer, TelemetrySample sample)
      throws Exception {
    Serializer<TelemetrySample> serializer = topics.telemetry().valueSerde().serializer();
    PipelineIT.send(producer, names.telemetry(), sample.getSourceId(),
        serializer.serialize(names.telemetry(), sample), sample.getTimestamp());
  }

  private static InferenceRequest request(String id, Instant at) {
    return InferenceRequest.newBuilder().setRequestId(id).setDeviceId("dev-" + id)
        .setDeviceChip("a17-pro").setTimestamp(at).setFeature(Feature.SMART_REPLY)
        .setPromptTokens(120).setMaxOutputTokens(30)
        .setDeviceState(new DeviceState(90, true, ThermalState.NOMINAL)).build();
  }
}
