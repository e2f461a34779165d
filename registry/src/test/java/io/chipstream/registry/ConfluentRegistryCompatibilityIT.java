package io.chipstream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.avro.Figure;
import io.chipstream.avro.FigureBasis;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.serde.AvroDeserializer;
import io.chipstream.schema.serde.AvroSerializer;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The same serde and client against a real Confluent Schema Registry, and a Confluent registry
 * reading the {@code _schemas} topic the embedded registry wrote. Needs Docker: skipped (and
 * reported as skipped) where no engine answers.
 */
@EnabledIf("io.chipstream.testkit.Docker#available")
class ConfluentRegistryCompatibilityIT {
  private static final DockerImageName REGISTRY =
      DockerImageName.parse("confluentinc/cp-schema-registry:7.9.0");

  @Test
  void theSerdeAndClientWorkUnchangedAgainstConfluentsRegistry() {
    try (Network network = Network.newNetwork();
        KafkaContainer kafka = kafka(network);
        GenericContainer<?> confluent = confluentRegistry(network)) {
      kafka.start();
      confluent.start();
      String url = "http://" + confluent.getHost() + ":" + confluent.getMappedPort(8081);
      Map<String, Object> config = Map.of("schema.registry.url", url);

      AvroSerializer<Figure> serializer = new AvroSerializer<>();
      serializer.configure(config, false);
      AvroDeserializer<Figure> deserializer = new AvroDeserializer<>(Figure.class, null);
      deserializer.configure(config, false);
      Figure figure = new Figure(1.5, FigureBasis.PUBLISHED, "x");

      assertThat(deserializer.deserialize("figures", serializer.serialize("figures", figure)))
          .isEqualTo(figure);
      try (RestSchemaRegistryClient client = RestSchemaRegistryClient.forUrl(url)) {
        assertThat(client.subjects()).contains("figures-value");
        assertThat(client.latest("figures-value").version()).isEqualTo(1);
      }
    }
  }

  @Test
  void confluentsRegistryReadsTheSchemasTopicTheEmbeddedOneWrote() {
    try (Network network = Network.newNetwork();
        KafkaContainer kafka = kafka(network)) {
      kafka.start();
      int id;
      try (SchemaRegistryServer embedded =
          SchemaRegistryServer.builder(kafka.getBootstrapServers()).build().start();
          RestSchemaRegistryClient client = RestSchemaRegistryClient.forUrl(embedded.url())) {
        client.register("warmup-value", new Schema.Parser().parse(Schemas.OTHER));
        id = client.register("readings-value", new Schema.Parser().parse(Schemas.V1));
      }
      try (GenericContainer<?> confluent = confluentRegistry(network)) {
        confluent.start();
        String url = "http://" + confluent.getHost() + ":" + confluent.getMappedPort(8081);
        try (RestSchemaRegistryClient client = RestSchemaRegistryClient.forUrl(url)) {
          assertThat(client.latest("readings-value").id()).isEqualTo(id);
          assertThat(client.schemaById(id)).isEqualTo(new Schema.Parser().parse(Schemas.V1));
        }
      }
    }
  }

  private static KafkaContainer kafka(Network network) {
    return new KafkaContainer(DockerImageName.parse("apache/kafka:4.4.0"))
        .withNetwork(network)
        .withListener("kafka:19092");
  }

  private static GenericContainer<?> confluentRegistry(Network network) {
    return new GenericContainer<>(REGISTRY)
        .withNetwork(network)
        .withExposedPorts(8081)
        .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
        .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
        .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
        .waitingFor(Wait.forHttp("/subjects").forStatusCode(200)
            .withStartupTimeout(Duration.ofMinutes(2)));
  }
}
