package io.chipstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chipstream.schema.topics.TopicNames;
import io.chipstream.streams.app.StreamsCommand;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/** docker/compose.yaml is not run here (no Docker engine), so its wiring is checked as data. */
class ComposeFileTest {
  private static final Path COMPOSE = Path.of("..", "docker", "compose.yaml");

  private static JsonNode compose() throws Exception {
    return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(COMPOSE));
  }

  private static String kafkaClientVersion() throws Exception {
    try (InputStream in = KafkaProducer.class.getResourceAsStream(
        "/kafka/kafka-version.properties")) {
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    }
  }

  @Test
  void everyServiceIsThereInItsProfile() throws Exception {
    JsonNode services = compose().path("services");
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrder("kafka", "schema-registry", "init-topics",
        "streams-app", "producers", "kafka-ui", "kafka-ui-host");
    for (String name : names) {
      String profile = name.equals("kafka-ui-host") ? "ui-only" : "stack";
      assertThat(services.path(name).path("profiles").get(0).asText()).as(name)
          .isEqualTo(profile);
    }
  }

  @Test
  void kafkaIsKraftAtTheClientVersionAndTheTopicsAreCreated() throws Exception {
    JsonNode services = compose().path("services");
    String version = kafkaClientVersion();
    assertThat(services.path("kafka").path("image").asText()).isEqualTo("apache/kafka:" + version);
    assertThat(services.path("init-topics").path("image").asText())
        .isEqualTo("apache/kafka:" + version);
    assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText())
        .isEqualTo("broker,controller");
    assertThat(services.path("kafka").toString()).doesNotContainIgnoringCase("zookeeper");
    String create = services.path("init-topics").path("command").get(0).asText();
    for (String topic : TopicNames.DEFAULT.all()) {
      assertThat(create).as(topic).contains(topic);
    }
    assertThat(create).contains("--topic chip-catalog").contains("cleanup.policy=compact");
  }

  @Test
  void kafkaUiDecodesThroughTheRegistry() throws Exception {
    JsonNode services = compose().path("services");
    JsonNode ui = services.path("kafka-ui").path("environment");
    assertThat(ui.path("KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS").asText()).isEqualTo("kafka:9092");
    assertThat(ui.path("KAFKA_CLUSTERS_0_SCHEMAREGISTRY").asText())
        .isEqualTo("http://schema-registry:8081");
    assertThat(services.path("kafka-ui").path("ports").get(0).asText()).isEqualTo("8088:8080");
    assertThat(services.path("schema-registry").path("environment")
        .path("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS").asText())
        .isEqualTo("PLAINTEXT://kafka:9092");
    JsonNode host = services.path("kafka-ui-host");
    assertThat(host.path("network_mode").asText()).isEqualTo("host");
    assertThat(host.path("environment").path("KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS").asText())
        .isEqualTo("127.0.0.1:9092");
    assertThat(host.path("environment").path("KAFKA_CLUSTERS_0_SCHEMAREGISTRY").asText())
        .isEqualTo("http://127.0.0.1:8081");
  }

  @Test
  void theAppRunsTwoReplicasConfiguredOnlyByVariablesItReads() throws Exception {
    JsonNode services = compose().path("services");
    JsonNode app = services.path("streams-app");
    assertThat(app.path("deploy").path("replicas").asInt()).isEqualTo(2);
    assertThat(app.path("restart").asText()).isEqualTo("on-failure");
    assertThat(app.path("build").path("dockerfile").asText()).isEqualTo("docker/Dockerfile");
    assertThat(Files.exists(Path.of("..", "docker", "Dockerfile"))).isTrue();
    List<String> keys = new ArrayList<>();
    app.path("environment").fieldNames().forEachRemaining(keys::add);
    assertThat(StreamsCommand.ENVIRONMENT).containsAll(keys);
    assertThat(app.path("environment").path("KAFKA_BOOTSTRAP_SERVERS").asText())
        .isEqualTo("kafka:9092");
    assertThat(app.path("environment").path("SCHEMA_REGISTRY_URL").asText())
        .isEqualTo("http://schema-registry:8081");
    assertThat(app.path("command").get(0).asText()).contains("chipstream.jar streams")
        .contains("--app-advertised-host");
    JsonNode producers = services.path("producers");
    assertThat(producers.path("command").get(0).asText()).contains("produce catalog")
        .contains("produce requests");
    assertThat(producers.path("environment").path("KAFKA_BOOTSTRAP_SERVERS").asText())
        .isEqualTo("kafka:9092");
  }

  @Test
  void theAppAndTheFleetRunUpsPolicy() throws Exception {
    JsonNode services = compose().path("services");
    for (String name : List.of("streams-app", "producers")) {
      JsonNode service = services.path(name);
      assertThat(service.path("environment").path("CHIPSTREAM_POLICY").asText()).as(name)
          .isEqualTo("/app/demo-policy.properties");
      assertThat(service.path("volumes").get(0).asText()).as(name)
          .isEqualTo("./demo-policy.properties:/app/demo-policy.properties:ro");
    }
    Properties docker = new Properties();
    try (var reader = Files.newBufferedReader(Path.of("..", "docker", "demo-policy.properties"))) {
      docker.load(reader);
    }
    Properties up = new Properties();
    try (InputStream in = UpOptions.class.getResourceAsStream("demo-policy.properties")) {
      up.load(in);
    }
    assertThat(docker).isEqualTo(up).containsKey("baseline.families");
  }
}
