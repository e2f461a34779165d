package io.chipstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.avro.DeviceState;
import io.chipstream.avro.Feature;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.avro.ThermalState;
import io.chipstream.catalog.ChipCatalogCsv;
import io.chipstream.producers.catalog.CatalogLoader;
import io.chipstream.registry.SchemaRegistryServer;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.TopicAdmin;
import io.chipstream.schema.topics.TopicNames;
import io.chipstream.streams.EmitMode;
import io.chipstream.streams.TopologyConfig;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: records shuffled within the grace period give exactly the ordered results. */
@WithKafka
class OrderIndependenceIT {
  private static final int REQUESTS = 120;

  @Test
  void shuffledInputGivesTheSameFinalResultsAsOrderedInput(TestKafka kafka, @TempDir Path a,
      @TempDir Path b) throws Exception {
    Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
    List<InferenceRequest> ordered = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      ordered.add(InferenceRequest.newBuilder().setRequestId("r-" + i).setDeviceId("d-" + i % 9)
          .setDeviceChip(i % 4 == 0 ? "a16-bionic" : "a17-pro")
          .setTimestamp(base.plusSeconds(i)).setFeature(Feature.WRITING_TOOLS)
          .setPromptTokens(150 + (i * 53) % 3000).setMaxOutputTokens(10 + i % 90)
          .setDeviceState(new DeviceState(70, true, ThermalState.NOMINAL)).build());
    }
    List<InferenceRequest> shuffled = new ArrayList<>();
    Random random = new Random(3);
    for (int block = 0; block < REQUESTS; block += 20) { // 20 s blocks, 60 s grace
      List<InferenceRequest> part = new ArrayList<>(ordered.subList(block, block + 20));
      Collections.shuffle(part, random);
      shuffled.addAll(part);
    }

    try (SchemaRegistryServer registry = SchemaRegistryServer.builder(kafka.bootstrapServers())
        .topic(kafka.uniqueName("_schemas")).build().start();
        RestSchemaRegistryClient client = RestSchemaRegistryClient.forUrl(registry.url())) {
      Map<String, ChipFamilyEfficiency> fromOrdered = run(kafka, registry, client, a, base,
          ordered);
      Map<String, ChipFamilyEfficiency> fromShuffled = run(kafka, registry, client, b, base,
          shuffled);

      assertThat(fromOrdered).isNotEmpty();
      assertThat(fromShuffled).isEqualTo(fromOrdered);
    }
  }

  private static Map<String, ChipFamilyEfficiency> run(TestKafka kafka,
      SchemaRegistryServer registry, RestSchemaRegistryClient client, Path state, Instant base,
      List<InferenceRequest> input) throws Exception {
    TopicNames names = TopicNames.withPrefix(kafka.uniqueName("order") + ".");
    ChipstreamTopics topics = ChipstreamTopics.create(names, client,
        Map.of("schema.registry.url", registry.url()));
    TopicAdmin.ensure(kafka.clientConfig(), names, 1); // one partition: the order is ours
    new CatalogLoader(kafka.clientConfig(), topics.catalog())
        .load(ChipCatalogCsv.builtIn(Instant.now()));
    StreamsSettings settings = new StreamsSettings(kafka.bootstrapServers(), registry.url(),
        kafka.uniqueName("order-app"), state, "exactly_once_v2", 1, 1, names,
        TopologyConfig.defaults().withWindows(Duration.ofMinutes(1), Duration.ofMinutes(1),
            Duration.ofSeconds(60), EmitMode.FINAL),
        Map.of("commit.interval.ms", "100"));
    Map<String, ChipFamilyEfficiency> finals = new HashMap<>();
    try (ChipstreamStreams app = new ChipstreamStreams(settings).start()) {
      Map<String, Object> config = new HashMap<>(kafka.clientConfig());
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config,
          (t, d) -> d, (t, d) -> d)) {
        for (InferenceRequest request : input) {
          PipelineIT.send(producer, names.requests(), request.getRequestId(),
              topics.requests().valueSerde().serializer().serialize(names.requests(), request),
              request.getTimestamp());
        }
        for (int minutes : new int[] {20, 40}) {
          TelemetrySample flush = PipelineIT.sample("xeon-node", "xeon-8480",
              base.plus(Duration.ofMinutes(minutes)));
          PipelineIT.send(producer, names.telemetry(), flush.getSourceId(),
              topics.telemetry().valueSerde().serializer().serialize(names.telemetry(), flush),
              flush.getTimestamp());
        }
      }
      long tokens = input.stream().mapToLong(r -> r.getPromptTokens() + r.getMaxOutputTokens())
          .sum();
      try (KafkaConsumer<String, ChipFamilyEfficiency> consumer = PipelineIT.consumer(kafka,
          names.efficiency(), topics.efficiency().valueSerde().deserializer())) {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
          for (ConsumerRecord<String, ChipFamilyEfficiency> r :
              consumer.poll(Duration.ofMillis(200))) {
            if (r.value().getWindowStart().isBefore(base.plus(Duration.ofMinutes(2)))) {
              assertThat(finals.put(r.key(), r.value())).as("one final per window").isNull();
            }
          }
          return finals.values().stream()
              .mapToLong(e -> e.getPromptTokens() + e.getOutputTokens()).sum() >= tokens;
        });
      }
      assertThat(app.state()).isEqualTo(org.apache.kafka.streams.KafkaStreams.State.RUNNING);
    }
    return finals;
  }
}
