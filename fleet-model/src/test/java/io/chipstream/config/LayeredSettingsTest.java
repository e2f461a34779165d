package io.chipstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayeredSettingsTest {
  private static LayeredSettings layers(Properties file, Map<String, String> env) {
    return new LayeredSettings(file, env::get);
  }

  @Test
  void aFlagWinsOverTheEnvironmentWhichWinsOverTheFileWhichWinsOverTheDefault(
      @TempDir Path dir) throws Exception {
    Path config = dir.resolve("client.properties");
    Files.writeString(config, "bootstrap.servers=file:9092\n");
    Properties file = LayeredSettings.load(config);
    Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "env:9092");

    assertThat(layers(file, env).get("flag:9092", "bootstrap.servers", "KAFKA_BOOTSTRAP_SERVERS",
        "default:9092")).isEqualTo("flag:9092");
    assertThat(layers(file, env).get(null, "bootstrap.servers", "KAFKA_BOOTSTRAP_SERVERS",
        "default:9092")).isEqualTo("env:9092");
    assertThat(layers(file, Map.of()).get(null, "bootstrap.servers", "KAFKA_BOOTSTRAP_SERVERS",
        "default:9092")).isEqualTo("file:9092");
    assertThat(layers(new Properties(), Map.of()).get(null, "bootstrap.servers",
        "KAFKA_BOOTSTRAP_SERVERS", "default:9092")).isEqualTo("default:9092");
  }

  @Test
  void aBlankFlagOrVariableIsNotGiven() {
    Properties file = new Properties();
    file.setProperty("chipstream.window", "5m");
    assertThat(layers(file, Map.of("CHIPSTREAM_WINDOW", " ")).get("", "chipstream.window",
        "CHIPSTREAM_WINDOW", "1m")).isEqualTo("5m");
  }

  @Test
  void noFileIsNoProperties() {
    assertThat(LayeredSettings.load(null)).isEmpty();
  }

  @Test
  void aMissingFileIsAnErrorThatNamesIt(@TempDir Path dir) {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> LayeredSettings.load(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot read --config " + missing + ": no such file");
  }
}
