package io.chipstream.streams.aggregate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mergeable quantile sketch of latencies: log-spaced buckets with about 1% relative accuracy
 * (bucket i holds values in (gamma^(i-1), gamma^i], gamma = 1.02), stored as parallel lists of
 * bucket indexes and counts. Two sketches merge by adding counts, so windows and partitions
 * combine exactly.
 */
public final class LatencySketch {
  private static final double GAMMA = 1.02;
  private static final double LOG_GAMMA = Math.log(GAMMA);
  private static final double MIN_VALUE = 1e-3;

  private final TreeMap<Integer, Long> counts = new TreeMap<>();

  private LatencySketch() {}

  public static LatencySketch empty() {
    return new LatencySketch();
  }

  /** A sketch from its stored form. */
  public static LatencySketch of(List<Integer> buckets, List<Long> bucketCounts) {
    LatencySketch sketch = new LatencySketch();
    for (int i = 0; i < buckets.size(); i++) {
      sketch.counts.merge(buckets.get(i), bucketCounts.get(i), Long::sum);
    }
    return sketch;
  }

  public LatencySketch add(double value) {
    counts.merge(bucket(value), 1L, Long::sum);
    return this;
  }

  public LatencySketch merge(LatencySketch other) {
    other.counts.forEach((bucket, count) -> counts.merge(bucket, count, Long::sum));
    return this;
  }

  public long count() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The {@code q}-quantile (0..1), within 1%; null when empty. */
  public Double quantile(double q) {
    long total = count();
    if (total == 0) {
      return null;
    }
    long rank = (long) Math.floor(q * (total - 1));
    long seen = 0;
    for (Map.Entry<Integer, Long> entry : counts.entrySet()) {
      seen += entry.getValue();
      if (seen > rank) {
        return representative(entry.getKey());
      }
    }
    return representative(counts.lastKey());
  }

  public List<Integer> buckets() {
    return new ArrayList<>(counts.keySet());
  }

  public List<Long> bucketCounts() {
    return new ArrayList<>(counts.values());
  }

  static int bucket(double value) {
    return (int) Math.ceil(Math.log(Math.max(value, MIN_VALUE)) / LOG_GAMMA);
  }

  /** The value a bucket stands for: the middle of its range, relative error at most 1%. */
  static double representative(int bucket) {
    return 2 * Math.pow(GAMMA, bucket) / (GAMMA + 1);
  }
}
