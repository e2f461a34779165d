package io.chipstream.producers.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipstream.classify.RoutingPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunOptionsTest {
  @CommandLine.Command(name = "t")
  static final class Holder implements Runnable {
    @CommandLine.Mixin
    ConnectionOptions connection;

    @CommandLine.Mixin
    RunOptions options;

    @Override
    public void run() {}
  }

  private static RoutingPolicy policy(Map<String, String> env, String... args) {
    Holder holder = new Holder();
    new CommandLine(holder).parseArgs(args);
    return holder.options.policy(holder.connection.withEnvironment(env));
  }

  @Test
  void theFleetRunsThePolicyTheAppIsGivenTheSameWays(@TempDir Path dir) throws Exception {
    Path flag = Files.writeString(dir.resolve("flag.properties"), "policy.version=flag\n");
    Path env = Files.writeString(dir.resolve("env.properties"), "policy.version=env\n");
    Path file = Files.writeString(dir.resolve("file.properties"), "policy.version=file\n");
    Path client = Files.writeString(dir.resolve("client.properties"),
        "chipstream.policy=" + file + "\n");

    assertThat(policy(Map.of())).isEqualTo(RoutingPolicy.defaults());
    assertThat(policy(Map.of(), "--config", client.toString()).version()).isEqualTo("file");
    assertThat(policy(Map.of("CHIPSTREAM_POLICY", env.toString()), "--config",
        client.toString()).version()).isEqualTo("env");
    assertThat(policy(Map.of("CHIPSTREAM_POLICY", env.toString()), "--config",
        client.toString(), "--policy", flag.toString()).version()).isEqualTo("flag");
  }

  @Test
  void aMissingOrBadPolicyFileIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing.properties");
    assertThatThrownBy(() -> policy(Map.of(), "--policy", missing.toString()))
        .hasMessageContaining("routing policy file " + missing + " does not exist");
    Path bad = Files.writeString(dir.resolve("bad.properties"), "baseline.families=ARM\n");
    assertThatThrownBy(() -> policy(Map.of(), "--policy", bad.toString()))
        .hasMessageContaining("baseline.families names unknown ChipFamily 'ARM'");
  }

  private static RunOptions options(String... args) {
    Holder holder = new Holder();
    new CommandLine(holder).parseArgs(args);
    return holder.options;
  }

  @Test
  void aRateOrCountThatCannotBeMetIsAnErrorNamingTheFlag() {
    assertThat(options().rate()).isEqualTo(50);
    assertThat(options("--rate", "0").rate()).isZero();
    assertThat(options().count()).isEqualTo(-1);
    assertThat(options("--count", "0").count()).isZero();
    for (String rate : new String[] {"-5", "NaN", "Infinity"}) {
      assertThatThrownBy(() -> options("--rate", rate).rate())
          .hasMessageStartingWith("--rate must be a number of events a second, 0 or more");
    }
    assertThatThrownBy(() -> options("--count", "-3").count())
        .hasMessage("--count must be 0 or more, not -3");
  }

  @Test
  void aTelemetryIntervalTheAppWouldRejectIsAnError() {
    assertThat(options("--telemetry-interval", "1h").fleet().telemetryInterval())
        .isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> options("--telemetry-interval", "0s").fleet())
        .hasMessage("--telemetry-interval must be more than 0 and at most 1h (the longest the"
            + " app accepts), not 0ms");
    assertThatThrownBy(() -> options("--telemetry-interval", "61m").fleet())
        .hasMessageEndingWith("not 61m");
  }
}
