package io.chipstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.Feature;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.avro.RoutingReason;
import io.chipstream.schema.topics.TopicNames;
import io.chipstream.streams.ChipstreamTopology;
import io.chipstream.streams.LivePipeline;
import io.chipstream.streams.TopologyConfig;
import io.chipstream.streams.validate.DeadLetterProcessor;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalog row that cannot be read, written to the catalog topic by hand (Kafka UI, a script):
 * the app keeps running, the row goes to the dead-letter topic with where it came from, and it
 * neither adds a chip nor replaces the row it was meant to replace. After a restart (which reads
 * the catalog without decoding it) the bad row is left out and every request is still decided.
 */
@WithKafka
class CatalogDeadLetterIT {

  @Test
  void unreadableCatalogRowsAreDeadLetteredAndNeverStopTheDecisions(TestKafka kafka,
      @TempDir Path state) throws Exception {
    try (LivePipeline pipeline = LivePipeline.start(kafka, "catalog-dlq", 1)) {
      TopicNames names = pipeline.names();
      StreamsSettings settings = new StreamsSettings(kafka.bootstrapServers(),
          pipeline.registryUrl(), kafka.uniqueName("chipstream-catalog"), state,
          "at_least_once", 1, 1, names, TopologyConfig.defaults(),
          Map.of("commit.interval.ms", "100"));
      try (ChipstreamStreams app = new ChipstreamStreams(settings).start()) {
        await().atMost(Duration.ofSeconds(60))
            .until(() -> app.state() == KafkaStreams.State.RUNNING);
        ChipCapability before = catalog(app).get("a17-pro");
        assertThat(before).as("the built-in catalog is loaded").isNotNull();

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientConfig(),
            (t, b) -> b, (t, b) -> b)) {
          PipelineIT.send(producer, names.catalog(), "a17-pro",
              "not avro".getBytes(StandardCharsets.UTF_8), Instant.now());
          PipelineIT.send(producer, names.catalog(), "made-up-chip",
              new byte[] {0, 0, 0, 0, 1, 2}, Instant.now());
        }

        List<ConsumerRecord<byte[], byte[]>> dead =
            PipelineIT.readDeadLetters(kafka, names.deadLetters(), 2);
        assertThat(dead).hasSize(2);
        assertThat(dead).allSatisfy(r -> {
          assertThat(header(r, DeadLetterProcessor.TOPIC)).isEqualTo(names.catalog());
          assertThat(header(r, DeadLetterProcessor.REASON)).isEqualTo("DESERIALIZATION_FAILED");
          assertThat(header(r, DeadLetterProcessor.MESSAGE)).isNotBlank();
        });
        assertThat(dead).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
            .containsExactlyInAnyOrder("a17-pro", "made-up-chip");
        assertThat(dead).anySatisfy(r -> assertThat(r.value())
            .isEqualTo("not avro".getBytes(StandardCharsets.UTF_8)));

        assertThat(catalog(app).get("a17-pro")).isEqualTo(before);
        assertThat(catalog(app).get("made-up-chip")).isNull();
        assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
      }

      // A restart reads the catalog again from its start, the bad rows with it.
      try (ChipstreamStreams app = new ChipstreamStreams(settings).start()) {
        await().atMost(Duration.ofSeconds(60))
            .until(() -> app.state() == KafkaStreams.State.RUNNING);
        Instant now = Instant.now();
        Serializer<InferenceRequest> requests =
            pipeline.topics().requests().valueSerde().serializer();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientConfig(),
            (t, b) -> b, (t, b) -> b)) {
          for (String chip : List.of("a17-pro", "m4")) {
            InferenceRequest request = InferenceRequest.newBuilder()
                .setRequestId("after-" + chip).setDeviceId("d-" + chip).setDeviceChip(chip)
                .setTimestamp(now).setFeature(Feature.SMART_REPLY).setPromptTokens(50)
                .setMaxOutputTokens(20).build();
            PipelineIT.send(producer, names.requests(), request.getRequestId(),
                requests.serialize(names.requests(), request), now);
          }
        }
        List<ConsumerRecord<String, RoutingDecision>> decisions =
            PipelineIT.readUntil(kafka, names.decisions(),
                pipeline.topics().decisions().valueSerde().deserializer(), 2);
        assertThat(decisions).extracting(ConsumerRecord::key)
            .containsExactlyInAnyOrder("after-a17-pro", "after-m4");
        // The restart read the bad row over a17-pro's good one, without decoding it: left out,
        // the chip counts as unknown; every other chip is decided as before.
        assertThat(decisions).filteredOn(r -> r.key().equals("after-a17-pro")).singleElement()
            .satisfies(r -> assertThat(r.value().getReasons())
                .contains(RoutingReason.DEVICE_CHIP_UNKNOWN));
        assertThat(decisions).filteredOn(r -> r.key().equals("after-m4")).singleElement()
            .satisfies(r -> assertThat(r.value().getReasons())
                .doesNotContain(RoutingReason.DEVICE_CHIP_UNKNOWN));
        assertThat(PipelineIT.readDeadLetters(kafka, names.deadLetters(), 2))
            .as("no request dead-lettered for the catalog's bad rows").hasSize(2);
        assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
      }
    }
  }

  private static ReadOnlyKeyValueStore<String, ChipCapability> catalog(ChipstreamStreams app) {
    return app.kafkaStreams().store(StoreQueryParameters.fromNameAndType(
        ChipstreamTopology.CATALOG_STORE, QueryableStoreTypes.keyValueStore()));
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
