package io.chipstream.streams;

import io.chipstream.classify.RoutingPolicy;
import io.chipstream.streams.validate.ValidationLimits;
import java.time.Duration;

/**
 * What the topology is built from; no connection settings (those are the app's).
 *
 * @param windowSize length of an efficiency window
 * @param windowAdvance how far consecutive windows start apart (= size for tumbling windows)
 * @param grace how long after a window's end late records still count
 * @param emitMode eager updates or one final record per window
 * @param policy the routing policy
 * @param limits validation limits
 * @param catalogRefresh how often a task re-reads the cloud chips from the catalog store
 */
public record TopologyConfig(Duration windowSize, Duration windowAdvance, Duration grace,
    EmitMode emitMode, RoutingPolicy policy, ValidationLimits limits, Duration catalogRefresh) {

  public TopologyConfig {
    if (windowSize.isNegative() || windowSize.isZero()) {
      throw new IllegalArgumentException("the window size must be positive: " + windowSize);
    }
    if (windowAdvance.isNegative() || windowAdvance.isZero()
        || windowAdvance.compareTo(windowSize) > 0) {
      throw new IllegalArgumentException("the window advance must be positive and at most the"
          + " window size: " + windowAdvance + " > " + windowSize);
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException("the grace period must not be negative: " + grace);
    }
  }

  /** One-minute tumbling windows, 30 s grace, eager updates, the default policy. */
  public static TopologyConfig defaults() {
    return new TopologyConfig(Duration.ofMinutes(1), Duration.ofMinutes(1),
        Duration.ofSeconds(30), EmitMode.EAGER, RoutingPolicy.defaults(),
        ValidationLimits.DEFAULT, Duration.ofSeconds(1));
  }

  public TopologyConfig withWindows(Duration size, Duration advance, Duration newGrace,
      EmitMode mode) {
    return new TopologyConfig(size, advance, newGrace, mode, policy, limits, catalogRefresh);
  }

  public TopologyConfig withPolicy(RoutingPolicy newPolicy) {
    return new TopologyConfig(windowSize, windowAdvance, grace, emitMode, newPolicy, limits,
        catalogRefresh);
  }

  public TopologyConfig withCatalogRefresh(Duration refresh) {
    return new TopologyConfig(windowSize, windowAdvance, grace, emitMode, policy, limits,
        refresh);
  }
}
