package io.chipstream.producers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.registry.SchemaRegistryServer;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The produce CLI against the real test broker and the embedded registry. */
@WithKafka
class ProduceCommandIT {
  private SchemaRegistryServer registry;
  private TestKafka kafka;
  private String prefix;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start(TestKafka kafka) {
    this.kafka = kafka;
    registry = SchemaRegistryServer.builder(kafka.bootstrapServers())
        .topic(kafka.uniqueName("_schemas")).build().start();
    prefix = kafka.uniqueName("p") + ".";
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private int produce(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers(),
        "--schema-registry-url", registry.url(), "--topic-prefix", prefix));
    CommandLine cli = ProducersMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(all.toArray(String[]::new));
  }

  @Test
  void requestsWithTelemetryAreAllAcknowledgedAndNothingMore() {
    assertThat(produce("requests", "--count", "300", "--rate", "0", "--seed", "5",
        "--with-telemetry")).isZero();

    assertThat(count(prefix + "inference-requests")).isEqualTo(300);
    assertThat(out.toString()).contains("sent 300 requests").contains("0 failed")
        .contains("seed 5");
    // Sent in well under the 10 s interval: the telemetry of that short last interval is sent
    // at the end, and counted.
    int telemetry = count(prefix + "fleet-telemetry");
    assertThat(telemetry).isPositive();
    assertThat(out.toString()).contains("and " + telemetry + " telemetry samples");
  }

  @Test
  void theCatalogLoadsOnceAndThenChangesNothing() {
    assertThat(produce("catalog")).isZero();
    assertThat(produce("catalog")).isZero();
    assertThat(out.toString()).contains("20 written, 0 unchanged")
        .contains("0 written, 20 unchanged");
    assertThat(count(prefix + "chip-catalog")).isEqualTo(20);
  }

  @Test
  void aTraceIsReplayedAndBadRowsAreClearErrorsOrSkipped(@TempDir Path dir) throws Exception {
    Path trace = dir.resolve("trace.csv");
    Files.writeString(trace, "TIMESTAMP,ContextTokens,GeneratedTokens\n"
        + "2023-11-16 18:15:46.00,374,44\n2023-11-16 18:15:46.50,96,12\n"
        + "2023-11-16 18:15:47.00,-1,5\n2023-11-16 18:15:47.10,2000,300\n");

    assertThat(produce("trace", "--file", trace.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("line 4").contains("--skip-bad-rows");

    assertThat(produce("trace", "--file", trace.toString(), "--skip-bad-rows", "--speedup",
        "10")).isZero();
    assertThat(out.toString()).contains("skipped 1 bad rows").contains("sent 3 requests");
    assertThat(count(prefix + "inference-requests")).isEqualTo(3);
  }

  @Test
  void aTimedRunStopsOnTime() {
    long started = System.nanoTime();
    assertThat(produce("telemetry", "--duration", "3s", "--rate", "200",
        "--telemetry-interval", "1s")).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    assertThat(count(prefix + "fleet-telemetry")).isPositive();
  }

  @Test
  void telemetryIsPacedAndCountedByItsSimulatedRequests() {
    long started = System.nanoTime();
    assertThat(produce("telemetry", "--count", "100", "--rate", "50", "--seed", "3")).isZero();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    // 100 requests at 50 a second, well inside one 10 s interval: the sources report once, at
    // the end, a sample each at the most (500 devices, a few nodes per cloud chip, 3 training).
    assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(9));
    int telemetry = count(prefix + "fleet-telemetry");
    assertThat(telemetry).isBetween(1, 600);
    assertThat(out.toString()).contains("sent " + telemetry + " telemetry samples for 100"
        + " simulated requests").contains("0 failed");
    assertThat(count(prefix + "inference-requests")).isZero();
  }

  @Test
  void aRateOnATraceIsAnErrorNotIgnored(@TempDir Path dir) throws Exception {
    Path trace = Files.writeString(dir.resolve("trace.csv"),
        "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.00,374,44\n");

    assertThat(produce("trace", "--file", trace.toString(), "--rate", "5")).isEqualTo(2);
    assertThat(err.toString()).contains("--rate does not apply to a trace");
  }

  private int count(String topic) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    int n = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config,
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic).forEach(p -> partitions.add(
          new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> ignored : consumer.poll(Duration.ofMillis(200))) {
          n++;
        }
      }
    }
    return n;
  }
}
