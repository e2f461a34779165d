package io.chipstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipstream.localkafka.LocalKafkaBroker;
import io.chipstream.producers.cli.ProducersMain;
import io.chipstream.schema.registry.RegistryClientConfig;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secured stack: a broker that requires SASL/SCRAM-SHA-256 and a registry that requires HTTP
 * basic auth. With the right credentials everything runs; with wrong ones the app and the
 * producer stop at once with a clear error, without a retry storm. Nothing listens beyond the
 * loopback interface unless told to, and the query API refuses malformed input.
 */
@Tag("reliability")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT {
  private static final String USER = "chipstream";
  private static final String PASSWORD = "scram-secret";
  private static final String REGISTRY_USER = "fleet:registry-secret";

  @TempDir
  static Path work;
  private LocalKafkaBroker broker;
  private Pipeline pipeline;

  @BeforeAll
  void startSecuredBrokerAndRegistry() {
    broker = LocalKafkaBroker.builder().scramUser(USER, PASSWORD).build().start();
    pipeline = Pipeline.builder(broker.bootstrapServers(), work).name("secure")
        .security(broker.clientProperties()).registryUser(REGISTRY_USER).build();
  }

  @AfterAll
  void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void theStackRunsWithTheRightCredentialsAndBindsToLoopbackOnly() throws Exception {
    try (AppProcess app = pipeline.app("secure-app", "secure-app", work.resolve("state"),
        Duration.ofMinutes(10)).start()) {
      app.awaitRunning(Duration.ofSeconds(120));

      StringWriter err = new StringWriter();
      int exit = ProducersMain.commandLine().setErr(new PrintWriter(err)).execute("requests",
          "--bootstrap-servers=" + broker.bootstrapServers(),
          "--schema-registry-url=" + pipeline.registryUrl(),
          "--config=" + clientFile("producer", PASSWORD, REGISTRY_USER),
          "--topic-prefix=" + pipeline.prefix, "--count=200", "--rate=0", "--seed=11");
      assertThat(exit).as("producer over SASL with basic auth: %s", err).isZero();

      List<ConsumerRecord<String, io.chipstream.avro.RoutingDecision>> decisions =
          pipeline.readDecisions(200, Duration.ofSeconds(90));
      assertThat(decisions).hasSize(200).extracting(ConsumerRecord::key)
          .doesNotHaveDuplicates();

      URI registry = URI.create(pipeline.registryUrl());
      URI web = URI.create(app.webUrl());
      assertThat(registry.getHost()).isEqualTo("127.0.0.1");
      assertThat(canConnect("127.0.0.1", web.getPort())).isTrue();
      Optional<InetAddress> external = nonLoopbackAddress();
      if (external.isPresent()) {
        String host = external.get().getHostAddress();
        assertThat(canConnect(host, registry.getPort()))
            .as("the registry is not reachable at %s", host).isFalse();
        assertThat(canConnect(host, web.getPort()))
            .as("the app's web port is not reachable at %s", host).isFalse();
      }

      assertThat(app.get("/api/efficiency?family=QUANTUM").statusCode()).isEqualTo(400);
      assertThat(app.get("/api/efficiency?from=yesterday").statusCode()).isEqualTo(400);
      assertThat(app.get("/api/efficiency?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z")
          .statusCode()).as("a range over the limit").isEqualTo(400);
      assertThat(app.get("/api/efficiency?fmaily=X86").statusCode()).as("unknown parameter")
          .isEqualTo(400);
      assertThat(app.get("/api/efficiency?family=X86&family=GRAVITON").statusCode())
          .as("a repeated parameter").isEqualTo(400);
      assertThat(app.get("/../../etc/passwd").statusCode()).isEqualTo(404);
      assertThat(app.get("/api/efficiency?family=%00%ff").statusCode()).isEqualTo(400);
      assertThat(app.rawGetStatus("/api/efficiency?family=%zz")).as("malformed escape")
          .isEqualTo(400);
    }
  }

  @Test
  void aWrongKafkaPasswordStopsTheAppAtOnceWithAClearError() throws Exception {
    try (AppProcess app = appWith("wrong-kafka", "not-the-password", REGISTRY_USER)) {
      long startedAt = System.nanoTime();
      int exit = app.start().awaitExit(Duration.ofSeconds(60));
      assertThat(exit).isNotZero();
      assertThat(Duration.ofNanos(System.nanoTime() - startedAt))
          .isLessThan(Duration.ofSeconds(30));
      assertThat(app.log()).contains("chipstream streams:").contains("Authentication failed");
    }
  }

  @Test
  void aWrongRegistryPasswordStopsTheAppAndTheProducerAtOnce() throws Exception {
    try (AppProcess app = appWith("wrong-registry", PASSWORD, "fleet:wrong")) {
      int exit = app.start().awaitExit(Duration.ofSeconds(60));
      assertThat(exit).isNotZero();
      assertThat(app.log()).contains("refused the credentials (HTTP 401)");
    }

    Map<String, Object> wrong = new HashMap<>(pipeline.serdeConfig);
    wrong.put(RegistryClientConfig.BASIC_AUTH_USER_INFO, "fleet:wrong");
    long startedAt = System.nanoTime();
    try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(
        RegistryClientConfig.from(wrong))) {
      assertThatThrownBy(client::subjects)
          .isInstanceOf(SchemaRegistryException.AuthorizationException.class)
          .hasMessageContaining("401");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - startedAt))
        .as("a refusal is not retried").isLessThan(Duration.ofSeconds(2));

    StringWriter err = new StringWriter();
    int exit = ProducersMain.commandLine().setErr(new PrintWriter(err)).execute("requests",
        "--bootstrap-servers=" + broker.bootstrapServers(),
        "--schema-registry-url=" + pipeline.registryUrl(),
        "--config=" + clientFile("bad-producer", PASSWORD, "fleet:wrong"),
        "--topic-prefix=" + pipeline.prefix, "--count=10", "--rate=0");
    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("chipstream produce:").contains("401");
  }

  private AppProcess appWith(String name, String kafkaPassword, String registryUser)
      throws IOException {
    Properties config = new Properties();
    Map<String, Object> security = new HashMap<>(broker.clientProperties());
    security.put("sasl.jaas.config", jaas(kafkaPassword));
    security.forEach((k, v) -> config.put(k, v.toString()));
    config.put("basic.auth.credentials.source", "USER_INFO");
    config.put("basic.auth.user.info", registryUser);
    Map<String, String> settings = new HashMap<>();
    config.forEach((k, v) -> settings.put(k.toString(), v.toString()));
    return pipeline.app(settings, name, name, work.resolve(name), Duration.ofMinutes(1));
  }

  private Path clientFile(String name, String kafkaPassword, String registryUser)
      throws IOException {
    Properties config = new Properties();
    broker.clientProperties().forEach((k, v) -> config.put(k, v.toString()));
    config.put("sasl.jaas.config", jaas(kafkaPassword));
    config.put("basic.auth.credentials.source", "USER_INFO");
    config.put("basic.auth.user.info", registryUser);
    Path file = work.resolve(name + ".properties");
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      config.store(writer, null);
    }
    return file;
  }

  private static String jaas(String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + USER + "\" password=\"" + password + "\";";
  }

  private static boolean canConnect(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address) {
            return Optional.of(address);
          }
        }
      }
    }
    return Optional.empty();
  }
}
