package io.chipstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipstream.streams.EmitMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StreamsCommandTest {

  @Test
  void defaultsThenFileThenEnvironmentThenFlags(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("client.properties");
    Files.writeString(config, String.join("\n",
        "bootstrap.servers=file:9092",
        "schema.registry.url=http://file:8081",
        "application.id=from-file",
        "chipstream.window=5m",
        "security.protocol=SASL_PLAINTEXT",
        "basic.auth.user.info=u:p"));
    StreamsCommand command = new StreamsCommand();
    new CommandLine(command).parseArgs("--config", config.toString(), "--application-id",
        "from-flag", "--emit", "final", "--grace", "10s");

    StreamsSettings settings = command.settings(Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", "env:9092", "CHIPSTREAM_APPLICATION_ID", "from-env",
        "CHIPSTREAM_PARTIALS_FLUSH", "250ms"));

    assertThat(settings.bootstrapServers()).isEqualTo("env:9092");
    assertThat(settings.schemaRegistryUrl()).isEqualTo("http://file:8081");
    assertThat(settings.applicationId()).isEqualTo("from-flag");
    assertThat(settings.topology().windowSize()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.topology().windowAdvance()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.topology().grace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.topology().emitMode()).isEqualTo(EmitMode.FINAL);
    assertThat(settings.topology().partialsFlush()).isEqualTo(Duration.ofMillis(250));
    assertThat(settings.topology().retention()).as("the default").isEqualTo(Duration.ofHours(1));
    assertThat(settings.processingGuarantee()).isEqualTo("exactly_once_v2");
    assertThat(settings.clientProperties()).containsEntry("security.protocol", "SASL_PLAINTEXT")
        .doesNotContainKey("bootstrap.servers");
    assertThat(settings.streamsProperties().getProperty("security.protocol"))
        .isEqualTo("SASL_PLAINTEXT");
    assertThat(settings.serdeConfig()).containsEntry("basic.auth.user.info", "u:p");
    assertThat(settings.stateDir()).isAbsolute();
  }

  @Test
  void badValuesAreClearErrors() {
    StreamsCommand command = new StreamsCommand();
    new CommandLine(command).parseArgs("--window", "five minutes");
    assertThatThrownBy(() -> command.settings(Map.of()))
        .hasMessageContaining("'five minutes' is not a duration");

    StreamsCommand emit = new StreamsCommand();
    new CommandLine(emit).parseArgs("--emit", "sometimes");
    assertThatThrownBy(() -> emit.settings(Map.of()))
        .hasMessageContaining("--emit must be eager or final");

    StreamsCommand flush = new StreamsCommand();
    new CommandLine(flush).parseArgs("--partials-flush", "0ms");
    assertThatThrownBy(() -> flush.settings(Map.of()))
        .hasMessageContaining("flush interval must be positive, not 0ms");

    StreamsCommand advance = new StreamsCommand();
    new CommandLine(advance).parseArgs("--window", "1m", "--advance", "2m");
    assertThatThrownBy(() -> advance.settings(Map.of()))
        .hasMessage("the window advance must be positive and at most the window size (1m),"
            + " not 2m");
  }

  private static StreamsSettings settings(Map<String, String> env, String... args) {
    StreamsCommand command = new StreamsCommand();
    new CommandLine(command).parseArgs(args);
    return command.settings(env);
  }

  @Test
  void threadsPartitionsAndPortsThatCannotWorkAreErrorsBeforeAnythingStarts() {
    // --threads -1 failed with "/ by zero"; 0 started an app that processed nothing.
    for (String threads : new String[] {"0", "-1"}) {
      assertThatThrownBy(() -> settings(Map.of(), "--threads", threads))
          .hasMessage("stream threads (--threads, num.stream.threads) must be at least 1, not "
              + threads);
    }
    assertThatThrownBy(() -> settings(Map.of(), "--partitions", "0"))
        .hasMessage("--partitions (chipstream.partitions) must be at least 1, not 0");
    assertThatThrownBy(() -> settings(Map.of(), "--app-port", "70000"))
        .hasMessageContaining("must be 0 to 65535 (0 for none), not 70000");
    assertThatThrownBy(() -> settings(Map.of("CHIPSTREAM_APP_PORT", "-5")))
        .hasMessageContaining("must be 0 to 65535 (0 for none), not -5");
    assertThatThrownBy(() -> settings(Map.of("CHIPSTREAM_APP_PORT", "eighty")))
        .hasMessage("CHIPSTREAM_APP_PORT must be a whole number, not 'eighty'");
    assertThat(settings(Map.of(), "--app-port", "0").clientProperties())
        .doesNotContainKey("application.server");
  }

  @Test
  void theRetentionIsAnHourOrSetAndNeverLessThanAWindowAndItsGrace() {
    StreamsCommand fromEnv = new StreamsCommand();
    new CommandLine(fromEnv).parseArgs();
    assertThat(fromEnv.settings(Map.of("CHIPSTREAM_RETENTION", "3h")).topology().retention())
        .isEqualTo(Duration.ofHours(3));

    StreamsCommand longWindows = new StreamsCommand();
    new CommandLine(longWindows).parseArgs("--window", "2h", "--grace", "10m");
    assertThat(longWindows.settings(Map.of()).topology().retention())
        .as("one whole window and its grace").isEqualTo(Duration.ofMinutes(130));

    StreamsCommand tooShort = new StreamsCommand();
    new CommandLine(tooShort).parseArgs("--retention", "1m");
    assertThatThrownBy(() -> tooShort.settings(Map.of()))
        .hasMessage("the window retention (1m) must be at least the window size plus the grace"
            + " period (90s)");
  }
}
