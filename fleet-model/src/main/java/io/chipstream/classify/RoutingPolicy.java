package io.chipstream.classify;

import io.chipstream.avro.Feature;
import io.chipstream.avro.Objective;
import io.chipstream.avro.ThermalState;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The routing policy: thresholds and the objective, from a properties file whose every key has a
 * default ({@code routing-policy.properties} in this module documents them).
 *
 * @param version stamped on every decision, so a decision can be traced to its policy
 * @param objective what to minimise among allowed cloud chips
 * @param lowBatteryPercent below this, and not charging, the device is constrained
 * @param thermalLimit at or above this thermal state the device is constrained
 * @param serverModelFeatures features that need the server model whatever the device
 * @param cloudRoundTripMs network round trip added to every cloud latency estimate
 * @param defaultLatencyTargetMs the target for requests that give none; 0 for none
 */
public record RoutingPolicy(
    String version,
    Objective objective,
    int lowBatteryPercent,
    ThermalState thermalLimit,
    Set<Feature> serverModelFeatures,
    double cloudRoundTripMs,
    int defaultLatencyTargetMs) {

  public static final String RESOURCE = "routing-policy.properties";

  /** The defaults, as in {@code routing-policy.properties}. */
  public static RoutingPolicy defaults() {
    try (InputStream in = RoutingPolicy.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      Properties properties = new Properties();
      properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      return from(properties);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The defaults, overridden by the keys {@code file} sets. */
  public static RoutingPolicy load(Path file) {
    Properties properties = new Properties();
    try (InputStream in = RoutingPolicy.class.getClassLoader().getResourceAsStream(RESOURCE);
        Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read routing policy " + file, e);
    }
    return from(properties);
  }

  /** A policy from properties; every key must be present (the defaults file has them all). */
  public static RoutingPolicy from(Properties p) {
    return new RoutingPolicy(
        required(p, "policy.version"),
        enumValue(p, "objective", Objective.class),
        intValue(p, "device.low.battery.percent", 0, 100),
        enumValue(p, "device.thermal.limit", ThermalState.class),
        features(required(p, "features.need.server.model")),
        intValue(p, "cloud.round.trip.ms", 0, 60_000),
        intValue(p, "latency.target.default.ms", 0, 3_600_000));
  }

  /** The same policy with another objective. */
  public RoutingPolicy withObjective(Objective newObjective) {
    return new RoutingPolicy(version, newObjective, lowBatteryPercent, thermalLimit,
        serverModelFeatures, cloudRoundTripMs, defaultLatencyTargetMs);
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("routing policy: " + key + " is missing");
    }
    return value.trim();
  }

  private static int intValue(Properties p, String key, int min, int max) {
    String value = required(p, key);
    try {
      int number = Integer.parseInt(value);
      if (number < min || number > max) {
        throw new IllegalArgumentException("routing policy: " + key + " = " + value
            + " is outside " + min + ".." + max);
      }
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("routing policy: " + key + " = '" + value
          + "' is not a whole number");
    }
  }

  private static <E extends Enum<E>> E enumValue(Properties p, String key, Class<E> type) {
    String value = required(p, key);
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("routing policy: " + key + " = '" + value
          + "' is not one of " + Arrays.toString(type.getEnumConstants()));
    }
  }

  private static Set<Feature> features(String list) {
    if (list.isBlank()) {
      return EnumSet.noneOf(Feature.class);
    }
    return Arrays.stream(list.split(","))
        .map(String::trim)
        .map(name -> {
          try {
            return Feature.valueOf(name.toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("routing policy: features.need.server.model names"
                + " unknown feature '" + name + "'; one of " + Arrays.toString(Feature.values()));
          }
        })
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Feature.class)));
  }
}
