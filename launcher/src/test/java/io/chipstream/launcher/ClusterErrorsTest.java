package io.chipstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands pointed at an address where no broker answers fail, saying so, and in time. */
class ClusterErrorsTest {
  private final InProcessCli cli = new InProcessCli();
  private String nowhere;
  private Path config;

  @BeforeEach
  void setUp(@TempDir Path dir) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    nowhere = "127.0.0.1:" + port;
    config = Files.writeString(dir.resolve("client.properties"),
        "default.api.timeout.ms=2000\nrequest.timeout.ms=2000\n");
  }

  @Test
  void consumeFromAnAddressWhereNoBrokerAnswersIsAnErrorNotSilence() {
    long started = System.nanoTime();
    int code = cli.run("consume", "routing-decisions", "--bootstrap-servers", nowhere,
        "--config", config.toString(), "--timeout", "1s");

    assertThat(code).isEqualTo(2);
    assertThat(cli.err()).contains("cannot read topic 'routing-decisions'")
        .contains("no answer from Kafka at " + nowhere + " within 2 s");
    assertThat(cli.out()).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void produceToAnAddressWhereNoBrokerAnswersNamesItAndTheWait() {
    long started = System.nanoTime();
    int code = cli.run("produce", "requests", "--count", "1", "--bootstrap-servers", nowhere,
        "--config", config.toString());

    assertThat(code).isEqualTo(2);
    assertThat(cli.err()).contains("cannot create Chipstream's topics: no answer from Kafka"
        + " at " + nowhere + " within 2 s").doesNotContain("null");
    // The client's own calls are abandoned, not waited for on close.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aClientSettingKafkaRefusesIsNamedNotJustThatTheClientFailed(@TempDir Path dir)
      throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.properties"), "default.api.timeout.ms=2000\n");

    int code = cli.run("consume", "routing-decisions", "--bootstrap-servers", nowhere,
        "--config", bad.toString());

    assertThat(code).isEqualTo(2);
    assertThat(cli.err()).contains("Failed to create new KafkaAdminClient: ")
        .contains("default.api.timeout.ms");
  }

  @Test
  void noPartitionsIsRefusedBeforeTheClusterIsAsked() {
    long started = System.nanoTime();
    int code = cli.run("streams", "--bootstrap-servers", nowhere, "--partitions", "0");

    assertThat(code).isEqualTo(2);
    assertThat(cli.err())
        .contains("--partitions (chipstream.partitions) must be at least 1, not 0");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }
}
