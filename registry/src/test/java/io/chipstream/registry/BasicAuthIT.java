package io.chipstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipstream.schema.registry.RegistryClientConfig;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.registry.SchemaRegistryException;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With basic auth on, only the right credentials get in, and wrong ones fail at once. */
@WithKafka
class BasicAuthIT {

  @Test
  void onlyTheRightCredentialsAreServed(TestKafka kafka) {
    try (SchemaRegistryServer registry = SchemaRegistryServer.builder(kafka.bootstrapServers())
        .topic(kafka.uniqueName("_schemas")).basicAuth("fleet:s3cret").build().start()) {
      String url = registry.url() + "/subjects";

      assertThat(Http.call("GET", url, null, null).status()).isEqualTo(401);
      assertThat(Http.call("GET", url, null, basic("fleet:wrong")).errorCode()).isEqualTo(401);
      assertThat(Http.call("GET", url, null, basic("fleet:s3cret")).status()).isEqualTo(200);

      RestSchemaRegistryClient good = client(registry, "fleet:s3cret");
      assertThat(good.subjects()).isEmpty();

      RestSchemaRegistryClient bad = client(registry, "fleet:wrong");
      long started = System.nanoTime();
      assertThatThrownBy(bad::subjects)
          .isInstanceOf(SchemaRegistryException.AuthorizationException.class)
          .hasMessageContaining("Unauthorized");
      assertThat((System.nanoTime() - started) / 1_000_000)
          .as("no retries on 401: far less than one 2 s backoff").isLessThan(2_000);
    }
  }

  private static RestSchemaRegistryClient client(SchemaRegistryServer registry, String userInfo) {
    return new RestSchemaRegistryClient(RegistryClientConfig.from(Map.of(
        RegistryClientConfig.URL, registry.url(),
        RegistryClientConfig.BASIC_AUTH_SOURCE, "USER_INFO",
        RegistryClientConfig.BASIC_AUTH_USER_INFO, userInfo,
        RegistryClientConfig.RETRIES_WAIT_MS, 2_000)));
  }

  private static String basic(String userInfo) {
    return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }
}
