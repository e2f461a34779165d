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
 * operation; it is associative and commutative, so order within a window does not matter.
 */
public final class Observations {
  private Observations() {}

  public static FamilyWindowAggregate empty(String family) {
    return FamilyWindowAggregate.newBuilder().setFamily(family).build();
  }

  /** One decision, counted for the family of the chip it chose. */
  public static FamilyWindowAggregate of(RoutingDecision decision) {
    LatencySketch latency = LatencySketch.empty().add(decision.getEstimatedLatencyMs());
    boolean local = decision.getTarget() == ExecutionTarget.LOCAL;
    return FamilyWindowAggregate.newBuilder()
        .setFamily(decision.getChipFamily().name())
        .setRequests(1)
        .setLocalRequests(local ? 1 : 0)
        .setCloudRequests(local ? 0 : 1)
        .setPromptTokens(decision.getPromptTokens())
        .setOutputTokens(decision.getOutputTokens())
        .setEstimatedEnergyJoules(decision.getEstimatedEnergyJoules())
        .setEstimatedCostUsd(decision.getEstimatedCostUsd())
        .setLatencyBuckets(latency.buckets())
        .setLatencyCounts(latency.bucketCounts())
        .build();
  }

  /** One telemetry sample: measured energy = average power x interval. */
  public static FamilyWindowAggregate of(TelemetrySample sample, ChipCapability chip) {
    double joules = sample.getAvgPowerWatts() * sample.getIntervalMs() / 1000.0;
    boolean training = sample.getWorkload() == Workload.TRAINING;
    return FamilyWindowAggregate.newBuilder()
        .setFamily(chip.getChipFamily().name())
        .setMeasuredEnergyJoules(training ? 0 : joules)
        .setMeasuredTokens(training ? 0 : sample.getTokensProcessed())
        .setTrainingEnergyJoules(training ? joules : 0)
        .setTrainingTokens(training ? sample.getTokensProcessed() : 0)
        .build();
  }

  /** {@code into} plus {@code observation}; returns {@code into}. */
  public static FamilyWindowAggregate merge(FamilyWindowAggregate into,
      FamilyWindowAggregate observation) {
    into.setRequests(into.getRequests() + observation.getRequests());
    into.setLocalRequests(into.getLocalRequests() + observation.getLocalRequests());
    into.setCloudRequests(into.getCloudRequests() + observation.getCloudRequests());
    into.setPromptTokens(into.getPromptTokens() + observation.getPromptTokens());
    into.setOutputTokens(into.getOutputTokens() + observation.getOutputTokens());
    into.setEstimatedEnergyJoules(into.getEstimatedEnergyJoules()
        + observation.getEstimatedEnergyJoules());
    into.setEstimatedCostUsd(into.getEstimatedCostUsd() + observation.getEstimatedCostUsd());
    into.setMeasuredEnergyJoules(into.getMeasuredEnergyJoules()
        + observation.getMeasuredEnergyJoules());
    into.setMeasuredTokens(into.getMeasuredTokens() + observation.getMeasuredTokens());
    into.setTrainingEnergyJoules(into.getTrainingEnergyJoules()
        + observation.getTrainingEnergyJoules());
    into.setTrainingTokens(into.getTrainingTokens() + observation.getTrainingTokens());
    if (!observation.getLatencyBuckets().isEmpty()) {
      LatencySketch sketch = sketch(into).merge(sketch(observation));
      into.setLatencyBuckets(sketch.buckets());
      into.setLatencyCounts(sketch.bucketCounts());
    }
    if (into.getFamily().isEmpty()) {
      into.setFamily(observation.getFamily());
    }
    return into;
  }

  public static LatencySketch sketch(FamilyWindowAggregate aggregate) {
    return LatencySketch.of(aggregate.getLatencyBuckets(), aggregate.getLatencyCounts());
  }

}
