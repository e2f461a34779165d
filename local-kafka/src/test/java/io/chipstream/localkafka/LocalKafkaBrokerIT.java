package io.chipstream.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child-JVM broker is a real Kafka: it starts, serves, restarts on its data and cleans up. */
class LocalKafkaBrokerIT {

  @Test
  void servesProduceAndConsumeAndRemovesItsTemporaryFolder() throws Exception {
    Path dataDir;
    try (LocalKafkaBroker broker = LocalKafkaBroker.builder().build().start()) {
      dataDir = broker.dataDir();
      assertThat(dataDir.getFileName().toString()).startsWith(TempDirs.PREFIX);
      createTopic(broker.bootstrapServers(), "greetings");

      produce(broker.bootstrapServers(), "greetings", List.of("a", "b", "c"));

      assertThat(consumeAll(broker.bootstrapServers(), "greetings", 3))
          .containsExactly("a", "b", "c");
    }
    assertThat(dataDir).doesNotExist();
  }

  @Test
  void restartOnTheSameDataFolderKeepsPortAndRecords(@TempDir Path dir) throws Exception {
    Path dataDir = dir.resolve("kafka");
    String firstAddress;
    try (LocalKafkaBroker broker = LocalKafkaBroker.builder().dataDir(dataDir).build()) {
      broker.start();
      firstAddress = broker.bootstrapServers();
      createTopic(firstAddress, "kept");
      produce(firstAddress, "kept", List.of("before-restart"));

      broker.stop();
      assertThat(broker.isRunning()).isFalse();
      broker.start();

      assertThat(broker.bootstrapServers()).isEqualTo(firstAddress);
      produce(firstAddress, "kept", List.of("after-restart"));
      assertThat(consumeAll(firstAddress, "kept", 2))
          .containsExactly("before-restart", "after-restart");
    }
    assertThat(dataDir).as("a folder the caller gave is kept").isDirectory();

    try (LocalKafkaBroker again = LocalKafkaBroker.builder().dataDir(dataDir).build().start()) {
      assertThat(again.bootstrapServers()).isEqualTo(firstAddress);
      assertThat(consumeAll(firstAddress, "kept", 2))
          .containsExactly("before-restart", "after-restart");
    }
  }

  @Test
  void aScramBrokerServesItsUserAndRefusesAWrongPasswordAtOnce() throws Exception {
    try (LocalKafkaBroker broker = LocalKafkaBroker.builder().scramUser("fleet", "s3cret")
        .build().start()) {
      Map<String, Object> good = new java.util.HashMap<>(broker.clientProperties());
      good.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (Admin admin = Admin.create(good)) {
        admin.createTopics(List.of(new NewTopic("secured", 1, (short) 1))).all().get();
        assertThat(admin.listTopics().names().get()).contains("secured");
      }

      Map<String, Object> none = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
          broker.bootstrapServers(), AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
          AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
      try (Admin admin = Admin.create(none)) {
        assertThatThrownBy(() -> admin.listTopics().names().get())
            .as("a client without SASL is not served").isInstanceOf(Exception.class);
      }

      Map<String, Object> wrong = new java.util.HashMap<>(good);
      wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule"
          + " required username=\"fleet\" password=\"wrong\";");
      long startedAt = System.nanoTime();
      try (Admin admin = Admin.create(wrong)) {
        assertThatThrownBy(() -> admin.listTopics().names().get())
            .hasRootCauseInstanceOf(
                org.apache.kafka.common.errors.SaslAuthenticationException.class)
            .rootCause().hasMessageContaining("Authentication failed");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - startedAt))
          .as("an authentication failure is not retried until a timeout")
          .isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void aPortInUseIsAClearError(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();
      try (LocalKafkaBroker broker = LocalKafkaBroker.builder().dataDir(dir).port(port).build()) {
        assertThatThrownBy(broker::start)
            .isInstanceOf(BrokerStartException.class)
            .hasMessageContaining("port " + port)
            .hasMessageContaining("already in use");
        assertThat(broker.isRunning()).isFalse();
      }
    }
  }

  @Test
  void aDataFolderHeldByARunningBrokerIsAClearError(@TempDir Path dir) {
    try (LocalKafkaBroker first = LocalKafkaBroker.builder().dataDir(dir).build().start();
        LocalKafkaBroker second = LocalKafkaBroker.builder().dataDir(dir).build()) {
      assertThatThrownBy(second::start)
          .isInstanceOf(BrokerStartException.class)
          .hasMessageContaining("in use by another running broker");
      assertThat(first.isRunning()).isTrue();
    }
  }

  @Test
  void aBrokerLeftByAKilledRunStopsAndItsFolderIsSwept() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process owner = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        OrphanFixture.class.getName())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      while (line != null && !line.startsWith("READY ")) {
        line = out.readLine(); // the fixture's own log lines
      }
      assertThat(line).as("the fixture reports its broker").isNotNull();
      String[] ready = line.split(" ");
      long brokerPid = Long.parseLong(ready[1]);
      Path folder = Path.of(ready[2]);
      assertThat(ProcessHandle.of(brokerPid)).get().matches(ProcessHandle::isAlive);

      owner.destroyForcibly(); // SIGKILL: no shutdown hook in the owner runs
      owner.waitFor(10, TimeUnit.SECONDS);

      await("the orphaned broker exits by itself").atMost(Duration.ofSeconds(45))
          .until(() -> ProcessHandle.of(brokerPid).map(h -> !h.isAlive()).orElse(true));
      assertThat(folder).exists();

      TempDirs.sweepAbandoned(folder.getParent());

      assertThat(folder).doesNotExist();
    } finally {
      owner.destroyForcibly();
    }
  }

  static void createTopic(String bootstrap, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
  }

  static void produce(String bootstrap, String topic, List<String> values) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, value, value)).get();
      }
    }
  }

  static List<String> consumeAll(String bootstrap, String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
        return values.size() >= expected;
      });
      // Nothing beyond what was produced: one more poll must bring no record.
      assertThat(consumer.poll(Duration.ofMillis(500))).isEmpty();
    }
    return values;
  }
}
