package io.chipstream.streams;

import io.chipstream.classify.RoutingPolicy;
import io.chipstream.config.Durations;
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
 * @param partialsFlush how often (wall clock) each input task sends its per-family partial sums
 *     on to the window aggregation: results lag by up to this much
 */
public record TopologyConfig(Duration windowSize, Duration windowAdvance, Duration grace,
    EmitMode emitMode, RoutingPolicy policy, ValidationLimits limits, Duration catalogRefresh,
    Duration partialsFlush) {

  public TopologyConfig {
    if (windowSize.isNegative() || windowSize.isZero()) {
      throw new IllegalArgumentException("the window size must be positive, not "
          + Durations.format(windowSize));
    }
    if (windowAdvance.isNegative() || windowAdvance.isZero()
        || windowAdvance.compareTo(windowSize) > 0) {
      throw new IllegalArgumentException("the window advance must be positive and at most the"
          + " window size (" + Durations.format(windowSize) + "), not "
          + Durations.format(windowAdvance));
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException("the grace period must not be negative, not "
          + Durations.format(grace));
    }
    if (partialsFlush.isNegative() || partialsFlush.isZero()) {
      throw new IllegalArgumentException("the partials' flush interval must be positive, not "
          + Durations.format(partialsFlush));
    }
  }

  /**
   * One-minute tumbling windows, 30 s grace, eager updates, the default policy; partial sums
   * sent on every 100 ms (as often as exactly-once commits by default).
   */
  public static TopologyConfig defaults() {
    return new TopologyConfig(Duration.ofMinutes(1), Duration.ofMinutes(1),
        Duration.ofSeconds(30), EmitMode.EAGER, RoutingPolicy.defaults(),
        ValidationLimits.DEFAULT, Duration.ofSeconds(1), Duration.ofMillis(100));
  }

  public TopologyConfig withWindows(Duration size, Duration advance, Duration newGrace,
      EmitMode mode) {
    return new TopologyConfig(size, advance, newGrace, mode, policy, limits, catalogRefresh,
        partialsFlush);
  }

  public TopologyConfig withPolicy(RoutingPolicy newPolicy) {
    return new TopologyConfig(windowSize, windowAdvance, grace, emitMode, newPolicy, limits,
        catalogRefresh, partialsFlush);
  }

  public TopologyConfig withCatalogRefresh(Duration refresh) {
    return new TopologyConfig(windowSize, windowAdvance, grace, emitMode, policy, limits,
        refresh, partialsFlush);
  }

  public TopologyConfig withPartialsFlush(Duration flush) {
    return new TopologyConfig(windowSize, windowAdvance, grace, emitMode, policy, limits,
        catalogRefresh, flush);
  }
}
