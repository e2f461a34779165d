package io.chipstream.producers.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipstream.classify.RoutingPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
