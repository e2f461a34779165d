package io.chipstream.registry;

import static io.chipstream.registry.Http.call;
import static io.chipstream.registry.Http.get;
import static io.chipstream.registry.Http.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The registry's state lives in Kafka, in Confluent's format, and survives a restart. */
@WithKafka
class RegistryDurabilityIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aRestartedRegistryServesTheSameIdsVersionsAndConfig(TestKafka kafka) {
    String topic = kafka.uniqueName("_schemas");
    int v1;
    int v2;
    int other;
    try (SchemaRegistryServer first = start(kafka, topic)) {
      v1 = register(first, "a-value", Schemas.V1);
      v2 = register(first, "a-value", Schemas.V2);
      other = register(first, "b-value", Schemas.OTHER);
      call("PUT", first.url() + "/config/b-value", "{\"compatibility\":\"NONE\"}");
      call("PUT", first.url() + "/config", "{\"compatibility\":\"FULL\"}");
      call("DELETE", first.url() + "/subjects/b-value", null);
    }

    try (SchemaRegistryServer second = start(kafka, topic)) {
      String url = second.url();
      assertThat(get(url + "/subjects/a-value/versions/1").json().path("id").asInt())
          .isEqualTo(v1);
      assertThat(get(url + "/subjects/a-value/versions/2").json().path("id").asInt())
          .isEqualTo(v2);
      assertThat(get(url + "/schemas/ids/" + other).status()).isEqualTo(200);
      assertThat(get(url + "/subjects").json().toString()).isEqualTo("[\"a-value\"]");
      assertThat(get(url + "/config").json().path("compatibilityLevel").asText())
          .isEqualTo("FULL");
      assertThat(get(url + "/config/b-value").json().path("compatibilityLevel").asText())
          .isEqualTo("NONE");

      int next = register(second, "c-value", Schemas.SENSOR_ONLY);
      assertThat(next).as("a new schema gets a new id, none reused")
          .isGreaterThan(Math.max(v1, Math.max(v2, other)));
      assertThat(register(second, "d-value", Schemas.V1)).isEqualTo(v1);
    }
  }

  @Test
  void theTopicIsCompactedSinglePartitionInConfluentsRecordFormat(TestKafka kafka)
      throws Exception {
    String topic = kafka.uniqueName("_schemas");
    int id;
    try (SchemaRegistryServer registry = start(kafka, topic)) {
      id = register(registry, "readings-value", Schemas.V1);
      call("PUT", registry.url() + "/config", "{\"compatibility\":\"FULL\"}");
    }

    try (Admin admin = Admin.create(kafka.clientConfig())) {
      TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get()
          .get(topic);
      assertThat(description.partitions()).hasSize(1);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    }

    List<ConsumerRecord<String, String>> records = readAll(kafka, topic, 2);
    assertThat(records.get(0).key())
        .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"readings-value\",\"version\":1,"
            + "\"magic\":1}");
    JsonNode value = JSON.readTree(records.get(0).value());
    assertThat(value.path("subject").asText()).isEqualTo("readings-value");
    assertThat(value.path("version").asInt()).isEqualTo(1);
    assertThat(value.path("id").asInt()).isEqualTo(id);
    assertThat(value.path("deleted").asBoolean()).isFalse();
    assertThat(value.path("schema").asText()).contains("\"name\":\"Reading\"");
    assertThat(records.get(1).key())
        .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}");
    assertThat(records.get(1).value()).isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
  }

  @Test
  void concurrentRegistrationsOfOneSchemaYieldOneIdAndOneVersion(TestKafka kafka)
      throws Exception {
    try (SchemaRegistryServer registry = start(kafka, kafka.uniqueName("_schemas"))) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
          String subject = i % 2 == 0 ? "x-value" : "y-value";
          calls.add(() -> register(registry, subject, Schemas.V1));
        }
        Set<Integer> ids = new HashSet<>();
        for (Future<Integer> result : pool.invokeAll(calls)) {
          ids.add(result.get());
        }
        assertThat(ids).hasSize(1);
      } finally {
        pool.shutdownNow();
      }
      assertThat(get(registry.url() + "/subjects/x-value/versions").json().toString())
          .isEqualTo("[1]");
      assertThat(get(registry.url() + "/subjects/y-value/versions").json().toString())
          .isEqualTo("[1]");
    }
  }

  private static SchemaRegistryServer start(TestKafka kafka, String topic) {
    return SchemaRegistryServer.builder(kafka.bootstrapServers()).topic(topic).build().start();
  }

  private static int register(SchemaRegistryServer registry, String subject, String schema) {
    Http.Answer answer = call("POST", registry.url() + "/subjects/" + subject + "/versions",
        schemaBody(schema));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json().path("id").asInt();
  }

  private static List<ConsumerRecord<String, String>> readAll(TestKafka kafka, String topic,
      int expected) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    assertThat(records).as("exactly the records written").hasSize(expected);
    return records;
  }
}
