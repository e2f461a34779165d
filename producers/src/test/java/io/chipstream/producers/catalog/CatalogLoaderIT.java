package io.chipstream.producers.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.avro.ChipCapability;
import io.chipstream.catalog.ChipCatalogCsv;
import io.chipstream.avro.Figure;
import io.chipstream.avro.FigureBasis;
import io.chipstream.registry.SchemaRegistryServer;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.TopicAdmin;
import io.chipstream.schema.topics.TopicNames;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithKafka
class CatalogLoaderIT {
  private SchemaRegistryServer registry;
  private RestSchemaRegistryClient client;
  private ChipstreamTopics topics;
  private CatalogLoader loader;
  private TestKafka kafka;

  @BeforeEach
  void start(TestKafka kafka) {
    this.kafka = kafka;
    registry = SchemaRegistryServer.builder(kafka.bootstrapServers())
        .topic(kafka.uniqueName("_schemas")).build().start();
    client = RestSchemaRegistryClient.forUrl(registry.url());
    TopicNames names = TopicNames.withPrefix(kafka.uniqueName("cat") + ".");
    topics = ChipstreamTopics.create(names, client, Map.of("schema.registry.url", registry.url()));
    TopicAdmin.ensure(kafka.clientConfig(), names, 3);
    loader = new CatalogLoader(kafka.clientConfig(), topics.catalog());
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void loadingTwiceChangesNothingAndAChangedRowIsWrittenAlone() {
    List<ChipCapability> catalog = ChipCatalogCsv.builtIn(Instant.parse("2026-01-01T00:00:00Z"));

    assertThat(loader.load(catalog)).isEqualTo(new CatalogLoader.Report(20, 0));
    List<ChipCapability> later = ChipCatalogCsv.builtIn(Instant.parse("2026-02-01T00:00:00Z"));
    assertThat(loader.load(later)).isEqualTo(new CatalogLoader.Report(0, 20));
    assertThat(recordCount()).as("no duplicate records on the topic").isEqualTo(20);

    List<ChipCapability> edited = new ArrayList<>(later);
    edited.replaceAll(chip -> chip.getChipModel().equals("l4")
        ? ChipCapability.newBuilder(chip)
            .setPowerWatts(new Figure(75.0, FigureBasis.PUBLISHED, "a newer datasheet")).build()
        : chip);
    assertThat(loader.load(edited)).isEqualTo(new CatalogLoader.Report(1, 19));

    Map<String, ChipCapability> current = loader.readCurrent();
    assertThat(current).hasSize(20);
    assertThat(current.get("l4").getPowerWatts().getValue()).isEqualTo(75.0);
    assertThat(current.get("h100-sxm")).isEqualTo(catalog.stream()
        .filter(c -> c.getChipModel().equals("h100-sxm")).findFirst().orElseThrow());
    assertThat(recordCount()).isEqualTo(21);
  }

  private int recordCount() {
    var config = new java.util.HashMap<>(kafka.clientConfig());
    config.put("isolation.level", "read_committed");
    int count = 0;
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(config,
        new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      var partition = new org.apache.kafka.common.TopicPartition(topics.catalog().name(), 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<byte[], byte[]> ignored :
            consumer.poll(java.time.Duration.ofMillis(200))) {
          count++;
        }
      }
    }
    return count;
  }
}
