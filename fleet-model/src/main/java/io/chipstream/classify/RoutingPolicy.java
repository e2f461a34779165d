package io.chipstream.classify;

import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.Feature;
import io.chipstream.avro.Objective;
import io.chipstream.avro.ThermalState;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
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
 * @param baselineFamilies the chip families that each take a share of the cloud's requests
 *     whatever the objective, so that the fleet measures them; empty for none
 * @param baselineShare each baseline family's share of the requests that go to the cloud
 */
public record RoutingPolicy(
    String version,
    Objective objective,
    int lowBatteryPercent,
    ThermalState thermalLimit,
    Set<Feature> serverModelFeatures,
    double cloudRoundTripMs,
    int defaultLatencyTargetMs,
    List<ChipFamily> baselineFamilies,
    double baselineShare) {

  public static final String RESOURCE = "routing-policy.properties";

  public RoutingPolicy {
    baselineFamilies = List.copyOf(baselineFamilies);
    if (!(baselineShare >= 0 && baselineShare * baselineFamilies.size() <= 1)) {
      throw new IllegalArgumentException("routing policy: baseline.share = " + baselineShare
          + " times " + baselineFamilies.size() + " baseline families is over 1");
    }
  }

  /** The defaults, as in {@code routing-policy.properties}. */
  public static RoutingPolicy defaults() {
    return from(defaultProperties());
  }

  /** The defaults, overridden by the keys {@code file} sets. */
  public static RoutingPolicy load(Path file) {
    Properties properties = defaultProperties();
    overlay(properties, file);
    return from(properties);
  }

  /** The keys of {@code routing-policy.properties}, every one with its default value. */
  public static Properties defaultProperties() {
    try (InputStream in = RoutingPolicy.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      Properties properties = new Properties();
      properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      return properties;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets in {@code properties} the keys {@code file} sets, over the values they had. */
  public static void overlay(Properties properties, Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("routing policy file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read routing policy " + file + ": " + e, e);
    }
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
        intValue(p, "latency.target.default.ms", 0, 3_600_000),
        families(required(p, "baseline.families")),
        share(p, "baseline.share"));
  }

  /** Whether some families take a share of the cloud's requests whatever the objective. */
  public boolean hasBaseline() {
    return !baselineFamilies.isEmpty() && baselineShare > 0;
  }

  /** The same policy with another objective. */
  public RoutingPolicy withObjective(Objective newObjective) {
    return new RoutingPolicy(version, newObjective, lowBatteryPercent, thermalLimit,
        serverModelFeatures, cloudRoundTripMs, defaultLatencyTargetMs, baselineFamilies,
        baselineShare);
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

  private static double share(Properties p, String key) {
    String value = required(p, key);
    double share;
    try {
      share = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("routing policy: " + key + " = '" + value
          + "' is not a number");
    }
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("routing policy: " + key + " = " + value
          + " is outside 0..1");
    }
    return share;
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
    return names(list, "features.need.server.model", EnumSet.allOf(Feature.class)).stream()
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Feature.class)));
  }

  /** The families in the order listed, each once: the order decides which share is whose. */
  private static List<ChipFamily> families(String list) {
    List<ChipFamily> families = names(list, "baseline.families",
        EnumSet.complementOf(EnumSet.of(ChipFamily.OTHER)));
    if (families.size() != Set.copyOf(families).size()) {
      throw new IllegalArgumentException("routing policy: baseline.families = '" + list
          + "' names a family twice");
    }
    return families;
  }

  /** The comma-separated names of {@code list}, each one of {@code allowed}. */
  private static <E extends Enum<E>> List<E> names(String list, String key, Set<E> allowed) {
    if (list.isBlank()) {
      return List.of();
    }
    return Arrays.stream(list.split(","))
        .map(String::trim)
        .map(name -> allowed.stream()
            .filter(value -> value.name().equalsIgnoreCase(name))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("routing policy: " + key
                + " names unknown " + allowed.iterator().next().getDeclaringClass()
                    .getSimpleName() + " '" + name + "'; one of " + allowed)))
        .toList();
  }
}
