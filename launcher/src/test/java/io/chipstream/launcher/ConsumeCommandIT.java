package io.chipstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.localkafka.PortAllocator;
import io.chipstream.registry.SchemaRegistryServer;
import io.chipstream.schema.topics.TopicAdmin;
import io.chipstream.schema.topics.TopicNames;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code consume} against the real test broker: errors, and what it says on stderr. */
@WithKafka
class ConsumeCommandIT {
  private final InProcessCli cli = new InProcessCli();
  private TestKafka kafka;
  private String prefix;

  private SchemaRegistryServer registry;

  @BeforeEach
  void start(TestKafka kafka) {
    this.kafka = kafka;
    prefix = kafka.uniqueName("c") + ".";
    registry = SchemaRegistryServer.builder(kafka.bootstrapServers())
        .topic(kafka.uniqueName("_schemas")).build().start();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private int consume(String topic, String... more) {
    List<String> args = new ArrayList<>(List.of("consume", topic, "--bootstrap-servers",
        kafka.bootstrapServers(), "--topic-prefix", prefix));
    if (!List.of(more).contains("--schema-registry-url")) {
      args.addAll(List.of("--schema-registry-url", registry.url()));
    }
    args.addAll(List.of(more));
    return cli.run(args.toArray(String[]::new));
  }

  @Test
  void aMissingTopicIsAnErrorNamingItAndTheAddress() {
    assertThat(consume(prefix + "routing-decison", "--timeout", "1s")).isEqualTo(2);

    assertThat(cli.err()).contains("topic '" + prefix + "routing-decison' does not exist at "
        + kafka.bootstrapServers());
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void anEmptyTopicThatExistsEndsQuietlyAtItsTimeout() {
    TopicAdmin.ensure(kafka.clientConfig(), TopicNames.withPrefix(prefix), 1);

    assertThat(consume(prefix + "routing-decisions", "--from-beginning", "--timeout", "1s"))
        .isZero();
    assertThat(cli.err()).isEmpty();
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void aConsumerThatHasReadNothingSaysSoOnStderrOnce() {
    TopicAdmin.ensure(kafka.clientConfig(), TopicNames.withPrefix(prefix), 1);

    assertThat(consume(prefix + "routing-decisions", "--timeout",
        (ConsumeCommand.SAY_WAITING_AFTER.toSeconds() + 3) + "s")).isZero();
    assertThat(cli.err().lines()).singleElement().asString().isEqualTo("chipstream: no records on "
        + prefix + "routing-decisions yet (new records only; --from-beginning reads the oldest);"
        + " waiting, Ctrl-C stops");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void aConsumerThatHasReadRecordsDoesNotSayNoneCameWhenItWaits() {
    TopicNames topics = TopicNames.withPrefix(prefix);
    TopicAdmin.ensure(kafka.clientConfig(), topics, 1);
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topics.deadLetters(), new byte[] {1}));
      producer.send(new ProducerRecord<>(topics.deadLetters(), new byte[] {2}));
    }

    // Without --max-records, past the wait notice's 5 s after the second record.
    assertThat(consume(topics.deadLetters(), "--from-beginning", "--timeout",
        (ConsumeCommand.SAY_WAITING_AFTER.toSeconds() + 3) + "s")).isZero();
    assertThat(cli.out().lines()).hasSize(2);
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void aRegistryThatDoesNotAnswerIsAOneLineErrorNotAFailurePerRecord() {
    TopicAdmin.ensure(kafka.clientConfig(), TopicNames.withPrefix(prefix), 1);
    String nowhere = "http://127.0.0.1:" + PortAllocator.freePort("127.0.0.1");
    long started = System.nanoTime();

    assertThat(consume(prefix + "routing-decisions", "--from-beginning", "--schema-registry-url",
        nowhere)).isEqualTo(2);
    assertThat(cli.err().strip().lines()).singleElement().asString()
        .startsWith("chipstream: the schema registry at " + nowhere + " cannot decode "
            + prefix + "routing-decisions's values (--schema-registry-url)");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void aNegativeRecordLimitIsAnError() {
    assertThat(consume(prefix + "routing-decisions", "--max-records", "-1")).isEqualTo(2);
    assertThat(cli.err()).contains("--max-records must be 0 or more, not -1");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void aReaderThatGoesAwayEndsTheConsumerAtOnce() {
    TopicNames topics = TopicNames.withPrefix(prefix);
    TopicAdmin.ensure(kafka.clientConfig(), topics, 1);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientConfig(),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>(topics.deadLetters(), new byte[] {(byte) i}));
      }
    }
    // Standard output as a closed pipe: `consume ... | head -1`.
    OutputStream closedPipe = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("Broken pipe");
      }
    };
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(closedPipe, true));
    long started = System.nanoTime();

    // Without the check it read on and then waited for records until its --timeout.
    assertThat(cli.execute("consume", topics.deadLetters(), "--from-beginning", "--timeout",
        "60s", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", prefix))
        .isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
  }
}
