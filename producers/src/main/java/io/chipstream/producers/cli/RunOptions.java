package io.chipstream.producers.cli;

import io.chipstream.avro.ChipCapability;
import io.chipstream.catalog.ChipCatalogCsv;
import io.chipstream.classify.RoutingPolicy;
import io.chipstream.config.Durations;
import io.chipstream.producers.fleet.FleetConfig;
import io.chipstream.producers.fleet.Mix;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Option;

/** Rate, volume and fleet options shared by the simulated producers. */
public final class RunOptions {

  @Option(names = "--rate", description = "Events per second (default ${DEFAULT-VALUE}; 0 = as"
      + " fast as possible)", defaultValue = "50")
  double rate;

  @Option(names = "--count", description = "Stop after this many events (default: no limit)")
  Long count;

  @Option(names = "--duration", paramLabel = "DURATION",
      description = "Stop after this long, e.g. 30s, 5m (default: no limit)")
  String duration;

  @Option(names = "--seed", description = "Makes the fleet and its events repeatable"
      + " (default: the clock, printed)")
  Long seed;

  @Option(names = "--fleet-size", description = "Simulated devices (default ${DEFAULT-VALUE})",
      defaultValue = "500")
  int fleetSize;

  @Option(names = "--devices", paramLabel = "CHIP=WEIGHT,...",
      description = "Device chip mix (default " + FleetConfig.DEFAULT_DEVICES + ")")
  String devices = FleetConfig.DEFAULT_DEVICES;

  @Option(names = "--features", paramLabel = "FEATURE=WEIGHT,...",
      description = "Feature mix (default " + FleetConfig.DEFAULT_FEATURES + ")")
  String features = FleetConfig.DEFAULT_FEATURES;

  @Option(names = "--telemetry-interval", paramLabel = "DURATION",
      description = "How often each source reports (default 10s)")
  String telemetryInterval = "10s";

  @Option(names = "--policy", paramLabel = "FILE",
      description = "The routing policy the app runs, so that the fleet's telemetry follows its"
      + " decisions (env CHIPSTREAM_POLICY; default: the built-in policy)")
  Path policy;

  @Option(names = "--catalog", paramLabel = "CSV",
      description = "The chip catalog the fleet is built from (default: built in)")
  Path catalog;

  public long seed() {
    if (seed == null) {
      seed = System.currentTimeMillis();
    }
    return seed;
  }

  /** Events per second; 0 for as fast as possible. */
  public double rate() {
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("--rate must be a number of events a second, 0 or more"
          + " (0 = as fast as possible), not " + rate);
    }
    return rate;
  }

  /** Events to send; -1 for no limit. */
  public long count() {
    if (count != null && count < 0) {
      throw new IllegalArgumentException("--count must be 0 or more, not " + count);
    }
    return count == null ? -1 : count;
  }

  public Duration duration() {
    return duration == null ? null : parse("--duration", duration);
  }

  private static Duration parse(String option, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage());
    }
  }

  public FleetConfig fleet() {
    FleetConfig defaults = FleetConfig.defaults(seed());
    return new FleetConfig(fleetSize, Mix.parse(devices, s -> s.trim()),
        Mix.parse(features, FleetConfig::feature), defaults.nodesPerCloudChip(),
        parse("--telemetry-interval", telemetryInterval), defaults.training(), seed());
  }

  /** The routing policy: {@code --policy}, else CHIPSTREAM_POLICY or the file's key. */
  public RoutingPolicy policy(ConnectionOptions connection) {
    String file = connection.setting(policy == null ? null : policy.toString(),
        "chipstream.policy", "CHIPSTREAM_POLICY");
    return file == null ? RoutingPolicy.defaults() : RoutingPolicy.load(Path.of(file));
  }

  public List<ChipCapability> catalogRows() {
    return catalog == null ? ChipCatalogCsv.builtIn(Instant.now())
        : ChipCatalogCsv.read(catalog, Instant.now());
  }
}
