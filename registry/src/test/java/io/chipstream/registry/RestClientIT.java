package io.chipstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipstream.localkafka.PortAllocator;
import io.chipstream.schema.registry.CompatibilityLevel;
import io.chipstream.schema.registry.RegisteredSchema;
import io.chipstream.schema.registry.RegistryClientConfig;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.registry.SchemaRegistryClient.SubjectVersion;
import io.chipstream.schema.registry.SchemaRegistryException;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The project's REST client against the embedded registry: every call and its typed errors. */
@WithKafka
class RestClientIT {
  private static final Schema V1 = new Schema.Parser().parse(Schemas.V1);
  private static final Schema V2 = new Schema.Parser().parse(Schemas.V2);
  private static final Schema BREAKING = new Schema.Parser().parse(Schemas.V1_PLUS_REQUIRED);

  private SchemaRegistryServer registry;
  private RestSchemaRegistryClient client;

  @BeforeEach
  void start(TestKafka kafka) {
    registry = SchemaRegistryServer.builder(kafka.bootstrapServers())
        .topic(kafka.uniqueName("_schemas")).build().start();
    client = RestSchemaRegistryClient.forUrl(registry.url());
  }

  @AfterEach
  void stop() {
    client.close();
    registry.close();
  }

  @Test
  void everyCallAnswersAsTheRegistryDoes() {
    int id1 = client.register("s-value", V1);
    int id2 = client.register("s-value", V2);

    assertThat(client.register("s-value", V1)).isEqualTo(id1);
    assertThat(client.lookup("s-value", V2)).isEqualTo(
        new RegisteredSchema("s-value", 2, id2, V2.toString()));
    assertThat(client.schemaById(id1)).isEqualTo(V1);
    assertThat(client.subjectVersionsById(id2)).containsExactly(new SubjectVersion("s-value", 2));
    assertThat(client.subjects()).containsExactly("s-value");
    assertThat(client.versions("s-value")).containsExactly(1, 2);
    assertThat(client.version("s-value", 1).id()).isEqualTo(id1);
    assertThat(client.latest("s-value").version()).isEqualTo(2);
    assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
    assertThat(client.subjectCompatibility("s-value")).isEmpty();
    assertThat(client.setSubjectCompatibility("s-value", CompatibilityLevel.FULL))
        .isEqualTo(CompatibilityLevel.FULL);
    assertThat(client.subjectCompatibility("s-value")).contains(CompatibilityLevel.FULL);
    assertThat(client.setGlobalCompatibility(CompatibilityLevel.FORWARD))
        .isEqualTo(CompatibilityLevel.FORWARD);
    assertThat(client.testCompatibility("s-value", "latest", V2)).isTrue();
    assertThat(client.testCompatibility("s-value", "latest", BREAKING)).isFalse();
    assertThat(client.deleteVersion("s-value", 1, false)).isEqualTo(1);
    assertThat(client.versions("s-value")).containsExactly(2);
    assertThat(client.deleteSubject("s-value", false)).containsExactly(2);
    assertThat(client.deleteSubject("s-value", true)).containsExactly(1, 2);
    assertThat(client.subjects()).isEmpty();
  }

  @Test
  void errorsBecomeTypedExceptionsWithTheRegistrysCodeAndMessage() {
    client.register("s-value", V1);

    assertThatThrownBy(() -> client.versions("nope"))
        .isInstanceOf(SchemaRegistryException.NotFoundException.class)
        .hasMessageContaining("Subject 'nope' not found")
        .extracting(e -> ((SchemaRegistryException) e).errorCode()).isEqualTo(40401);
    assertThatThrownBy(() -> client.version("s-value", 5))
        .isInstanceOf(SchemaRegistryException.NotFoundException.class)
        .extracting(e -> ((SchemaRegistryException) e).errorCode()).isEqualTo(40402);
    assertThatThrownBy(() -> client.schemaById(777))
        .isInstanceOf(SchemaRegistryException.NotFoundException.class)
        .extracting(e -> ((SchemaRegistryException) e).errorCode()).isEqualTo(40403);
    assertThatThrownBy(() -> client.register("s-value", BREAKING))
        .isInstanceOf(SchemaRegistryException.IncompatibleSchemaException.class)
        .hasMessageContaining("incompatible")
        .extracting(e -> ((SchemaRegistryException) e).status()).isEqualTo(409);
  }

  @Test
  void anUnreachableRegistryFailsClearlyAfterBoundedRetries() {
    int closedPort = PortAllocator.freePort("127.0.0.1");
    RestSchemaRegistryClient unreachable = new RestSchemaRegistryClient(RegistryClientConfig.from(
        Map.of(RegistryClientConfig.URL, "http://127.0.0.1:" + closedPort,
            RegistryClientConfig.MAX_RETRIES, 2,
            RegistryClientConfig.RETRIES_WAIT_MS, 10)));

    assertThatThrownBy(() -> unreachable.register("s-value", V1))
        .isInstanceOf(SchemaRegistryException.UnreachableException.class)
        .hasMessageContaining("did not answer")
        .hasMessageContaining("after 3 attempts");
  }

  @Test
  void theHotPathMakesNoHttpCallOnceCached() {
    int id = client.register("s-value", V1);
    client.schemaById(id);
    registry.close(); // nothing answers HTTP any more

    assertThat(client.register("s-value", V1)).isEqualTo(id);
    assertThat(client.schemaById(id)).isEqualTo(V1);
  }

  @Test
  void aSecondUrlIsTriedWhenTheFirstIsDown() {
    int closedPort = PortAllocator.freePort("127.0.0.1");
    RestSchemaRegistryClient failover = new RestSchemaRegistryClient(RegistryClientConfig.from(
        Map.of(RegistryClientConfig.URL, "http://127.0.0.1:" + closedPort + "," + registry.url(),
            RegistryClientConfig.RETRIES_WAIT_MS, 10)));

    assertThat(failover.subjects()).isEqualTo(List.of());
  }
}
