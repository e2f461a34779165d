package io.chipstream.streams.aggregate;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ExecutionTarget;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.avro.RoutingReason;
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
  /** The reasons by ordinal: {@code values()} copies its array per call. */
  private static final RoutingReason[] REASONS = RoutingReason.values();

  /** How many counts {@link #add(FamilyWindowAggregate, RoutingDecision, long[])} needs. */
  public static final int REASON_COUNT = REASONS.length;

  private Observations() {}

  public static FamilyWindowAggregate empty(String family) {
    // Not the generated builder: its build() deep-copies every default, per observation, which
    // showed in the profile; the no-argument constructor leaves only these four unset.
    FamilyWindowAggregate aggregate = new FamilyWindowAggregate();
    aggregate.setFamily(family);
    // A hash map, as Avro decodes one: each decision counts two or three reasons, and a sorted
    // map's string comparisons per count showed in the profile. Readers sort where they show it.
    aggregate.setReasonCounts(new java.util.HashMap<>());
    aggregate.setLatencyBuckets(LatencyLists.buckets());
    aggregate.setLatencyCounts(LatencyLists.counts());
    return aggregate;
  }

  /** One decision, counted for the family of the chip it chose. */
  public static FamilyWindowAggregate of(RoutingDecision decision) {
    return add(empty(decision.getChipFamily().name()), decision);
  }

  /**
   * {@code into} plus one decision, in place; returns {@code into}. The same as merging {@link
   * #of(RoutingDecision)}, without building the observation (the request path's hot spot).
   */
  public static FamilyWindowAggregate add(FamilyWindowAggregate into, RoutingDecision decision) {
    addAllButReasons(into, decision);
    java.util.Map<String, Long> reasons = ownReasonCounts(into);
    for (RoutingReason reason : decision.getReasons()) {
      reasons.merge(reason.name(), 1L, Long::sum);
    }
    return into;
  }

  /**
   * {@code into} plus one decision, in place, its reasons counted in {@code reasonCounts} (by
   * {@link RoutingReason} ordinal) rather than in {@code into}'s map, for {@link #addReasons} to
   * add before the sum is read: a partial sum counts two or three reasons per request, and the
   * map's lookups and boxed counts showed in the profile.
   */
  public static FamilyWindowAggregate add(FamilyWindowAggregate into, RoutingDecision decision,
      long[] reasonCounts) {
    addAllButReasons(into, decision);
    for (RoutingReason reason : decision.getReasons()) {
      reasonCounts[reason.ordinal()]++;
    }
    return into;
  }

  /** Adds counts by reason ordinal (see above) to {@code into}'s map, and zeroes them. */
  public static void addReasons(FamilyWindowAggregate into, long[] reasonCounts) {
    for (int i = 0; i < reasonCounts.length; i++) {
      if (reasonCounts[i] != 0) {
        ownReasonCounts(into).merge(REASONS[i].name(), reasonCounts[i], Long::sum);
        reasonCounts[i] = 0;
      }
    }
  }

  private static void addAllButReasons(FamilyWindowAggregate into, RoutingDecision decision) {
    boolean local = decision.getTarget() == ExecutionTarget.LOCAL;
    into.setRequests(into.getRequests() + 1);
    into.setLocalRequests(into.getLocalRequests() + (local ? 1 : 0));
    into.setCloudRequests(into.getCloudRequests() + (local ? 0 : 1));
    into.setPromptTokens(into.getPromptTokens() + decision.getPromptTokens());
    into.setOutputTokens(into.getOutputTokens() + decision.getOutputTokens());
    into.setEstimatedEnergyMicrojoules(into.getEstimatedEnergyMicrojoules()
        + microjoules(decision.getEstimatedEnergyJoules()));
    into.setEstimatedCostPicoUsd(into.getEstimatedCostPicoUsd()
        + Math.round(decision.getEstimatedCostUsd() * 1e12));
    addLatency(into, LatencySketch.bucket(decision.getEstimatedLatencyMs()), 1L);
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
      java.util.Map<String, Long> counts = ownReasonCounts(into);
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

  /** The aggregate's reason counts as a map it owns (a default or decoded one is copied once). */
  private static java.util.Map<String, Long> ownReasonCounts(FamilyWindowAggregate into) {
    java.util.Map<String, Long> counts = into.getReasonCounts();
    if (!(counts instanceof java.util.HashMap)) {
      counts = new java.util.HashMap<>(counts);
      into.setReasonCounts(counts);
    }
    return counts;
  }

  /** Adds the observation's latency buckets to the aggregate's sketch. */
  private static void mergeLatency(FamilyWindowAggregate into, FamilyWindowAggregate observation) {
    java.util.List<Integer> addBuckets = observation.getLatencyBuckets();
    java.util.List<Long> addCounts = observation.getLatencyCounts();
    for (int i = 0; i < addBuckets.size(); i++) {
      addLatency(into, addBuckets.get(i), addCounts.get(i));
    }
  }

  /**
   * Adds {@code count} to one bucket of the aggregate's sorted parallel lists, in place: a
   * binary search, not a rebuild of the whole sketch. Lists that are not yet {@link
   * LatencyLists} (decoded ones) are copied into them once.
   */
  private static void addLatency(FamilyWindowAggregate into, int bucket, long count) {
    LatencyLists.Numbers<Integer> buckets = LatencyLists.buckets(into.getLatencyBuckets());
    LatencyLists.Numbers<Long> counts = LatencyLists.counts(into.getLatencyCounts());
    into.setLatencyBuckets(buckets);
    into.setLatencyCounts(counts);
    int at = buckets.binarySearch(bucket);
    if (at >= 0) {
      counts.addTo(at, count);
    } else {
      buckets.insert(-at - 1, bucket);
      counts.insert(-at - 1, count);
    }
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
