package io.chipstream.launcher;

import io.chipstream.classify.RoutingPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/** The flags of {@code chipstream up}. */
final class UpOptions {
  private static final String DEMO_POLICY = "demo-policy.properties";

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where the stack keeps its data (default ${DEFAULT-VALUE})",
      defaultValue = ".chipstream/data")
  Path dataDir;

  @Option(names = "--fresh", description = "Delete the data folder first and start empty")
  boolean fresh;

  @Option(names = "--kafka-port", defaultValue = "9092",
      description = "Kafka port (default ${DEFAULT-VALUE})")
  int kafkaPort;

  @Option(names = "--registry-port", defaultValue = "8081",
      description = "Schema registry port (default ${DEFAULT-VALUE})")
  int registryPort;

  @Option(names = "--app-port", defaultValue = "8080",
      description = "The app's web port (default ${DEFAULT-VALUE})")
  int appPort;

  @Option(names = "--partitions", defaultValue = "3",
      description = "Partitions of the topics (default ${DEFAULT-VALUE})")
  int partitions;

  @Option(names = "--rate", defaultValue = "20",
      description = "Requests per second from the simulated fleet (default ${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--no-producers", description = "Start no producers (produce your own)")
  boolean noProducers;

  @Option(names = "--duration", paramLabel = "DURATION",
      description = "Stop by itself after this long, e.g. 10m (default: until Ctrl-C)")
  String duration;

  @Option(names = "--window", defaultValue = "1m", description = "Window size (default 1m)")
  String window;

  @Option(names = "--advance", description = "Window advance (default: the window size)")
  String advance;

  @Option(names = "--grace", defaultValue = "30s", description = "Grace period (default 30s)")
  String grace;

  @Option(names = "--retention", paramLabel = "DURATION", description = "How far back the"
      + " windows stay queryable (default 1h, at least the window plus grace)")
  String retention;

  @Option(names = "--emit", defaultValue = "eager", description = "eager or final")
  String emit;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "Routing policy keys over up's (the built-in policy with a baseline of"
      + " X86 and GRAVITON at 5% of cloud requests each); the app and the fleet both run it")
  Path policy;

  @Option(names = "--verbose", description = "Show the components' logs")
  boolean verbose;

  /** Checks what would otherwise fail only once the broker is up, or not at all. */
  void check() {
    if (!noProducers && (!(rate > 0) || Double.isInfinite(rate))) {
      throw new IllegalArgumentException("--rate must be more than 0 requests a second, not "
          + rate + " (--no-producers starts no fleet)");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("--partitions must be at least 1, not " + partitions);
    }
  }

  /** The built-in policy, then up's keys (its baseline), then the keys of {@code --policy}. */
  RoutingPolicy policy() {
    Properties properties = RoutingPolicy.defaultProperties();
    try (InputStream in = UpOptions.class.getResourceAsStream(DEMO_POLICY)) {
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (policy != null) {
      RoutingPolicy.overlay(properties, policy);
    }
    return RoutingPolicy.from(properties);
  }
}
