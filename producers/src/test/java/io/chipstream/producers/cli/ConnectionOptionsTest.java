package io.chipstream.producers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConnectionOptionsTest {
  @CommandLine.Command(name = "t")
  static final class Holder implements Runnable {
    @CommandLine.Mixin
    ConnectionOptions connection;

    @Override
    public void run() {}
  }

  private static ConnectionOptions parse(Map<String, String> env, String... args) {
    Holder holder = new Holder();
    new CommandLine(holder).parseArgs(args);
    return holder.connection.withEnvironment(env);
  }

  @Test
  void flagsWinOverTheEnvironmentWhichWinsOverTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, "bootstrap.servers=file:9092\nschema.registry.url=http://file:8081\n"
        + "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
        + "basic.auth.user.info=fleet:secret\nchipstream.policy=policy.properties\n");

    ConnectionOptions fromFile = parse(Map.of(), "--config", file.toString());
    assertThat(fromFile.bootstrapServers()).isEqualTo("file:9092");
    assertThat(fromFile.schemaRegistryUrl()).isEqualTo("http://file:8081");

    ConnectionOptions fromEnv = parse(Map.of("KAFKA_BOOTSTRAP_SERVERS", "env:9092"),
        "--config", file.toString());
    assertThat(fromEnv.bootstrapServers()).isEqualTo("env:9092");

    ConnectionOptions fromFlag = parse(Map.of("KAFKA_BOOTSTRAP_SERVERS", "env:9092"),
        "--config", file.toString(), "--bootstrap-servers", "flag:9092");
    assertThat(fromFlag.bootstrapServers()).isEqualTo("flag:9092");
    assertThat(fromFlag.kafkaConfig()).containsEntry("bootstrap.servers", "flag:9092")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .doesNotContainKey("schema.registry.url").doesNotContainKey("chipstream.policy");
    assertThat(fromFlag.serdeConfig()).containsEntry("basic.auth.user.info", "fleet:secret")
        .containsEntry("schema.registry.url", "http://file:8081");
  }

  @Test
  void defaultsAreTheLocalStack() {
    ConnectionOptions options = parse(Map.of());
    assertThat(options.bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(options.schemaRegistryUrl()).isEqualTo("http://localhost:8081");
    assertThat(options.topicNames().requests()).isEqualTo("inference-requests");
  }
}
