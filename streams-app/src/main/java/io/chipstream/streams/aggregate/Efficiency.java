package io.chipstream.streams.aggregate;

import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.avro.EfficiencyBasis;
import io.chipstream.streams.avro.FamilyWindowAggregate;
import static io.chipstream.streams.aggregate.Observations.joules;
import static io.chipstream.streams.aggregate.Observations.usd;

import java.time.Instant;

/**
 * A family's window aggregate as the {@code chip-efficiency} record.
 *
 * <pre>
 * tokens per joule   = measuredTokens / measuredEnergyJoules           (MEASURED, from telemetry)
 *                   or (promptTokens + outputTokens) / estimatedEnergy  (ESTIMATED, from decisions)
 * tokens per dollar  = (promptTokens + outputTokens) / estimatedCostUsd  (null at zero cost)
 * index vs x86       = tokens per joule / the x86 family's, same window, same basis
 * training index     = training tokens per joule / the x86 (or NVIDIA GPU) family's
 * </pre>
 */
public final class Efficiency {
  private Efficiency() {}

  /**
   * @param agg the family's aggregate
   * @param x86 the X86 family's aggregate in the same window, or null
   * @param gpu the NVIDIA_GPU family's aggregate in the same window, or null
   */
  public static ChipFamilyEfficiency of(FamilyWindowAggregate agg, FamilyWindowAggregate x86,
      FamilyWindowAggregate gpu) {
    LatencySketch latency = Observations.sketch(agg);
    long tokens = agg.getPromptTokens() + agg.getOutputTokens();
    EfficiencyBasis basis = basis(agg);
    Double tpj = tokensPerJoule(agg, basis);
    Double x86Tpj = x86 == null || basis(x86) != basis ? null : tokensPerJoule(x86, basis);
    Double training = ratio(agg.getTrainingTokens(), joules(agg.getTrainingEnergyMicrojoules()));
    return ChipFamilyEfficiency.newBuilder()
        .setChipFamily(family(agg.getFamily()))
        .setWindowStart(Instant.ofEpochMilli(agg.getWindowStart()))
        .setWindowEnd(Instant.ofEpochMilli(agg.getWindowEnd()))
        .setIsFinal(agg.getIsFinal())
        .setRequests(agg.getRequests())
        .setLocalRequests(agg.getLocalRequests())
        .setCloudRequests(agg.getCloudRequests())
        .setPromptTokens(agg.getPromptTokens())
        .setOutputTokens(agg.getOutputTokens())
        .setEstimatedEnergyJoules(joules(agg.getEstimatedEnergyMicrojoules()))
        .setEstimatedCostUsd(usd(agg.getEstimatedCostPicoUsd()))
        .setMeasuredEnergyJoules(joules(agg.getMeasuredEnergyMicrojoules()))
        .setMeasuredTokens(agg.getMeasuredTokens())
        .setTokensPerJoule(tpj)
        .setTokensPerJouleBasis(basis)
        .setTokensPerDollar(ratio(tokens, usd(agg.getEstimatedCostPicoUsd())))
        .setLatencyP50Ms(latency.quantile(0.50))
        .setLatencyP95Ms(latency.quantile(0.95))
        .setLatencyP99Ms(latency.quantile(0.99))
        .setLocalShare(agg.getRequests() == 0 ? null
            : (double) agg.getLocalRequests() / agg.getRequests())
        .setEfficiencyIndexVsX86(ratioOf(tpj, x86Tpj))
        .setTrainingEnergyJoules(joules(agg.getTrainingEnergyMicrojoules()))
        .setTrainingTokens(agg.getTrainingTokens())
        .setTrainingTokensPerJoule(training)
        .setTrainingIndexVsX86(x86 == null ? null : ratioOf(training,
            ratio(x86.getTrainingTokens(), joules(x86.getTrainingEnergyMicrojoules()))))
        .setTrainingIndexVsGpu(gpu == null ? null : ratioOf(training,
            ratio(gpu.getTrainingTokens(), joules(gpu.getTrainingEnergyMicrojoules()))))
        .build();
  }

  static EfficiencyBasis basis(FamilyWindowAggregate agg) {
    if (agg.getMeasuredEnergyMicrojoules() > 0) {
      return EfficiencyBasis.MEASURED;
    }
    return agg.getEstimatedEnergyMicrojoules() > 0 ? EfficiencyBasis.ESTIMATED
        : EfficiencyBasis.NONE;
  }

  private static Double tokensPerJoule(FamilyWindowAggregate agg, EfficiencyBasis basis) {
    return switch (basis) {
      case MEASURED -> ratio(agg.getMeasuredTokens(),
          joules(agg.getMeasuredEnergyMicrojoules()));
      case ESTIMATED -> ratio(agg.getPromptTokens() + agg.getOutputTokens(),
          joules(agg.getEstimatedEnergyMicrojoules()));
      case NONE -> null;
    };
  }

  private static Double ratio(double numerator, double denominator) {
    return denominator > 0 ? numerator / denominator : null;
  }

  private static Double ratioOf(Double numerator, Double denominator) {
    return numerator == null || denominator == null ? null
        : ratio(numerator.doubleValue(), denominator.doubleValue());
  }

  private static ChipFamily family(String name) {
    try {
      return ChipFamily.valueOf(name);
    } catch (IllegalArgumentException e) {
      return ChipFamily.OTHER;
    }
  }
}
