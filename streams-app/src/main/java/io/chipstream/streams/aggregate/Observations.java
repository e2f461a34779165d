package io.chipstream.streams.aggregate;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ExecutionTarget;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.avro.Workload;
import io.chipstream.streams.avro.FamilyWindowAggregate;


/**
 * Turns decisions and telemetry into per-family observations, and merges observations into a
 * window's aggregate. An observation is an aggregate of one record, so merging is the one
 * operation; it is associative and commutative, and energy and cost are kept in fixed point
 * (microjoules, picodollars), so the order of records within a window cannot change a result.
 */
public final class Observations {
  private Observations() {}

  public static FamilyWindowAggregate empty(String family) {
    // Not the generated builder: its build() deep-copies every default, per observation, which
    // showed in the profile; the no-argument constructor leaves only these four unset.
    FamilyWindowAggregate aggregate = new FamilyWindowAggregate();
    aggregate.setFamily(family);
    aggregate.setReasonCounts(new java.util.TreeMap<>());
    aggregate.setLatencyBuckets(new java.util.ArrayList<>());
    aggregate.setLatencyCounts(new java.util.ArrayList<>());
    return aggregate;
  }

  /** One decision, counted for the family of the chip it chose. */
  public static FamilyWindowAggregate of(RoutingDecision decision) {
    boolean local = decision.getTarget() == ExecutionTarget.LOCAL;
    FamilyWindowAggregate observation = empty(decision.getChipFamily().name());
    observation.setRequests(1);
    observation.setLocalRequests(local ? 1 : 0);
    observation.setCloudRequests(local ? 0 : 1);
    observation.setPromptTokens(decision.getPromptTokens());
    observation.setOutputTokens(decision.getOutputTokens());
    observation.setEstimatedEnergyMicrojoules(microjoules(decision.getEstimatedEnergyJoules()));
    observation.setEstimatedCostPicoUsd(Math.round(decision.getEstimatedCostUsd() * 1e12));
    observation.getLatencyBuckets().add(LatencySketch.bucket(decision.getEstimatedLatencyMs()));
    observation.getLatencyCounts().add(1L);
    java.util.Map<String, Long> reasons = observation.getReasonCounts();
    for (io.chipstream.avro.RoutingReason reason : decision.getReasons()) {
      reasons.merge(reason.name(), 1L, Long::sum);
    }
    return observation;
  }

  /** One telemetry sample: measured energy = average power x interval. */
  public static FamilyWindowAggregate of(TelemetrySample sample, ChipCapability chip) {
    double joules = sample.getAvgPowerWatts() * sample.getIntervalMs() / 1000.0;
    boolean training = sample.getWorkload() == Workload.TRAINING;
    FamilyWindowAggregate observation = empty(chip.getChipFamily().name());
    observation.setMeasuredEnergyMicrojoules(training ? 0 : microjoules(joules));
    observation.setMeasuredTokens(training ? 0 : sample.getTokensProcessed());
    observation.setTrainingEnergyMicrojoules(training ? microjoules(joules) : 0);
    observation.setTrainingTokens(training ? sample.getTokensProcessed() : 0);
    return observation;
  }

  /** {@code into} plus {@code observation}; returns {@code into}. */
  public static FamilyWindowAggregate merge(FamilyWindowAggregate into,
      FamilyWindowAggregate observation) {
    into.setRequests(into.getRequests() + observation.getRequests());
    into.setLocalRequests(into.getLocalRequests() + observation.getLocalRequests());
    into.setCloudRequests(into.getCloudRequests() + observation.getCloudRequests());
    into.setPromptTokens(into.getPromptTokens() + observation.getPromptTokens());
    into.setOutputTokens(into.getOutputTokens() + observation.getOutputTokens());
    into.setEstimatedEnergyMicrojoules(into.getEstimatedEnergyMicrojoules()
        + observation.getEstimatedEnergyMicrojoules());
    into.setEstimatedCostPicoUsd(into.getEstimatedCostPicoUsd()
        + observation.getEstimatedCostPicoUsd());
    into.setMeasuredEnergyMicrojoules(into.getMeasuredEnergyMicrojoules()
        + observation.getMeasuredEnergyMicrojoules());
    into.setMeasuredTokens(into.getMeasuredTokens() + observation.getMeasuredTokens());
    into.setTrainingEnergyMicrojoules(into.getTrainingEnergyMicrojoules()
        + observation.getTrainingEnergyMicrojoules());
    into.setTrainingTokens(into.getTrainingTokens() + observation.getTrainingTokens());
    if (!observation.getReasonCounts().isEmpty()) {
      java.util.Map<String, Long> counts = into.getReasonCounts();
      if (!(counts instanceof java.util.HashMap) && !(counts instanceof java.util.TreeMap)) {
        counts = new java.util.TreeMap<>(counts); // a default or decoded map: make it ours once
        into.setReasonCounts(counts);
      }
      for (java.util.Map.Entry<String, Long> e : observation.getReasonCounts().entrySet()) {
        counts.merge(e.getKey(), e.getValue(), Long::sum);
      }
    }
    mergeLatency(into, observation);
    if (into.getFamily().isEmpty()) {
      into.setFamily(observation.getFamily());
    }
    return into;
  }

  /**
   * Adds the observation's latency buckets to the aggregate's sorted parallel lists in place:
   * a single-decision observation (one bucket, the hot path) costs a binary search, not a
   * rebuild of the whole sketch.
   */
  private static void mergeLatency(FamilyWindowAggregate into, FamilyWindowAggregate observation) {
    java.util.List<Integer> addBuckets = observation.getLatencyBuckets();
    if (addBuckets.isEmpty()) {
      return;
    }
    java.util.List<Integer> buckets = mutable(into.getLatencyBuckets());
    java.util.List<Long> counts = mutable(into.getLatencyCounts());
    into.setLatencyBuckets(buckets);
    into.setLatencyCounts(counts);
    java.util.List<Long> addCounts = observation.getLatencyCounts();
    for (int i = 0; i < addBuckets.size(); i++) {
      int at = java.util.Collections.binarySearch(buckets, addBuckets.get(i));
      if (at >= 0) {
        counts.set(at, counts.get(at) + addCounts.get(i));
      } else {
        buckets.add(-at - 1, addBuckets.get(i));
        counts.add(-at - 1, addCounts.get(i));
      }
    }
  }

  /** Lists decoded from a store are Avro arrays, which support set and insert: no copy. */
  private static <T> java.util.List<T> mutable(java.util.List<T> list) {
    return list instanceof java.util.ArrayList
        || list instanceof org.apache.avro.generic.GenericData.Array
        ? list : new java.util.ArrayList<>(list);
  }

  private static long microjoules(double joules) {
    return Math.round(joules * 1e6);
  }

  /** Joules from the fixed-point microjoules. */
  public static double joules(long microjoules) {
    return microjoules / 1e6;
  }

  /** US dollars from the fixed-point picodollars. */
  public static double usd(long picoUsd) {
    return picoUsd / 1e12;
  }

  public static LatencySketch sketch(FamilyWindowAggregate aggregate) {
    return LatencySketch.of(aggregate.getLatencyBuckets(), aggregate.getLatencyCounts());
  }

}
