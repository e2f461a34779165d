package io.chipstream.producers.fleet;

import io.chipstream.avro.Feature;
import io.chipstream.config.Durations;
import java.time.Duration;
import java.util.Locale;

/**
 * The simulated fleet's shape.
 *
 * @param devices how many devices
 * @param deviceChips the mix of device chips (catalog chip models)
 * @param features the mix of features issuing requests
 * @param nodesPerCloudChip the fewest server nodes of a cloud chip model that has work (one
 *     chip each when nearly idle); a busy model's pool gets more chips and nodes, a model with
 *     none runs no nodes (see {@link FleetSimulator})
 * @param telemetryInterval how often every source reports
 * @param training whether Trainium, GPU and x86 training nodes report TRAINING telemetry
 * @param seed makes the fleet and its requests repeatable
 */
public record FleetConfig(int devices, Mix<String> deviceChips, Mix<Feature> features,
    int nodesPerCloudChip, Duration telemetryInterval, boolean training, long seed) {

  public static final String DEFAULT_DEVICES =
      "a17-pro=30,a18-pro=25,m4=12,m2=10,m1=8,a16-bionic=10,a15-bionic=5";
  public static final String DEFAULT_FEATURES = "WRITING_TOOLS=25,NOTIFICATION_SUMMARY=20,"
      + "MAIL_SUMMARY=10,SMART_REPLY=15,IMAGE_GENERATION=4,GENMOJI=4,SIRI=15,"
      + "THIRD_PARTY_HANDOFF=7";
  /**
   * The longest telemetry interval: the app sends a sample with a longer one to the dead-letter
   * topic (its {@code ValidationLimits}; a test in the app keeps the two equal).
   */
  public static final Duration MAX_TELEMETRY_INTERVAL = Duration.ofHours(1);

  public FleetConfig {
    if (devices < 1) {
      throw new IllegalArgumentException("--fleet-size must be at least 1");
    }
    if (nodesPerCloudChip < 1) {
      throw new IllegalArgumentException("nodes per cloud chip must be at least 1");
    }
    if (telemetryInterval.isNegative() || telemetryInterval.isZero()
        || telemetryInterval.compareTo(MAX_TELEMETRY_INTERVAL) > 0) {
      throw new IllegalArgumentException("--telemetry-interval must be more than 0 and at most "
          + Durations.format(MAX_TELEMETRY_INTERVAL) + " (the longest the app accepts), not "
          + Durations.format(telemetryInterval));
    }
  }

  public static FleetConfig defaults(long seed) {
    return new FleetConfig(500, Mix.parse(DEFAULT_DEVICES, s -> s),
        Mix.parse(DEFAULT_FEATURES, FleetConfig::feature), 2, Duration.ofSeconds(10), true, seed);
  }

  public static Feature feature(String name) {
    try {
      return Feature.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown feature '" + name + "'; one of "
          + java.util.Arrays.toString(Feature.values()));
    }
  }
}
