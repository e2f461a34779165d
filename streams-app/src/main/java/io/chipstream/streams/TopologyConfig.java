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
 * @param retention how far behind the newest event time the window results stay in the store,
 *     for the queries of {@code /api} and a restart's restore (at least size + grace)
 * @param emitMode eager updates or one final record per window
 * @param policy the routing policy
 * @param limits validation limits
 * @param catalogRefresh how often a task re-reads the cloud chips from the catalog store
 * @param partialsFlush how often (wall clock) each input task sends its per-family partial sums
 *     on to the window aggregation: results lag by up to this much
 */
public record TopologyConfig(Duration windowSize, Duration windowAdvance, Duration grace,
    Duration retention, EmitMode emitMode, RoutingPolicy policy, ValidationLimits limits,
    Duration catalogRefresh, Duration partialsFlush) {

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
    if (retention.compareTo(windowSize.plus(grace)) < 0) {
      throw new IllegalArgumentException("the window retention (" + Durations.format(retention)
          + ") must be at least the window size plus the grace period ("
          + Durations.format(windowSize.plus(grace)) + ")");
    }
    if (partialsFlush.isNegative() || partialsFlush.isZero()) {
      throw new IllegalArgumentException("the partials' flush interval must be positive, not "
          + Durations.format(partialsFlush));
    }
  }

  /**
   * The window retention unless set: an hour, the longest range the app's queries read by
   * default ({@code /api/efficiency}; the dashboard reads 30 minutes, the summary 15).
   */
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(1);

  /**
   * One-minute tumbling windows, 30 s grace, kept an hour, eager updates, the default policy;
   * partial sums sent on every 100 ms (as often as exactly-once commits by default).
   */
  public static TopologyConfig defaults() {
    return new TopologyConfig(Duration.ofMinutes(1), Duration.ofMinutes(1),
        Duration.ofSeconds(30), DEFAULT_RETENTION, EmitMode.EAGER, RoutingPolicy.defaults(),
        ValidationLimits.DEFAULT, Duration.ofSeconds(1), Duration.ofMillis(100));
  }

  /**
   * These windows; the retention stays as it is unless it is shorter than their size plus
   * grace, which it then becomes (windows longer than the default's hour keep one whole window).
   */
  public TopologyConfig withWindows(Duration size, Duration advance, Duration newGrace,
      EmitMode mode) {
    Duration least = size.plus(newGrace);
    return new TopologyConfig(size, advance, newGrace,
        retention.compareTo(least) < 0 ? least : retention, mode, policy, limits, catalogRefresh,
        partialsFlush);
  }

  public TopologyConfig withPolicy(RoutingPolicy newPolicy) {
    return new TopologyConfig(windowSize, windowAdvance, grace, retention, emitMode, newPolicy,
        limits, catalogRefresh, partialsFlush);
  }

  public TopologyConfig withCatalogRefresh(Duration refresh) {
    return new TopologyConfig(windowSize, windowAdvance, grace, retention, emitMode, policy,
        limits, refresh, partialsFlush);
  }

  public TopologyConfig withPartialsFlush(Duration flush) {
    return new TopologyConfig(windowSize, windowAdvance, grace, retention, emitMode, policy,
        limits, catalogRefresh, flush);
  }

  /** The window results kept this far behind the newest event time (at least size + grace). */
  public TopologyConfig withRetention(Duration newRetention) {
    return new TopologyConfig(windowSize, windowAdvance, grace, newRetention, emitMode, policy,
        limits, catalogRefresh, partialsFlush);
  }
}
