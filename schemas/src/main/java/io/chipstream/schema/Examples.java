package io.chipstream.schema;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.avro.ComputeTier;
import io.chipstream.avro.DeviceState;
import io.chipstream.avro.EfficiencyBasis;
import io.chipstream.avro.ExecutionTarget;
import io.chipstream.avro.Feature;
import io.chipstream.avro.Figure;
import io.chipstream.avro.FigureBasis;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.Objective;
import io.chipstream.avro.PrivacyClass;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.avro.RoutingReason;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.avro.ThermalState;
import io.chipstream.avro.Workload;
import java.time.Instant;
import java.util.List;

/**
 * One fully populated record of each top-level type: for documentation, tests and benchmarks.
 * Every field is set, so a round trip through any serde exercises the whole schema.
 */
public final class Examples {
  public static final Instant T0 = Instant.parse("2026-11-27T10:15:30.123Z");

  private Examples() {}

  public static ChipCapability inferentia2() {
    return ChipCapability.newBuilder()
        .setChipModel("inferentia2")
        .setDisplayName("Inferentia2")
        .setChipFamily(ChipFamily.INFERENTIA)
        .setVendor("AWS")
        .setTier(ComputeTier.PUBLIC_CLOUD)
        .setPeakTeraOps(published(190.0, "AWS Neuron docs, BF16"))
        .setPeakPrecision("BF16")
        .setMemoryGb(published(32.0, "AWS Neuron docs"))
        .setMemoryBandwidthGBps(published(820.0, "AWS Neuron docs"))
        .setPowerWatts(Figure.newBuilder().setBasis(FigureBasis.UNKNOWN).build())
        .setCostPerHourUsd(published(0.7582, "inf2.xlarge us-east-1 on demand"))
        .setCostInstance("inf2.xlarge")
        .setPrefillTokensPerSecond(derived(9500.0, "0.5 x 190e12 / (2 x 3e9)"))
        .setDecodeTokensPerSecond(derived(312.0, "0.5 x 820e9 / 1.31e9 bytes"))
        .setMaxContextTokens(32768)
        .setUpdatedAt(T0)
        .build();
  }

  public static InferenceRequest request() {
    return InferenceRequest.newBuilder()
        .setRequestId("req-1")
        .setDeviceId("iphone-42")
        .setDeviceChip("a17-pro")
        .setTimestamp(T0)
        .setFeature(Feature.WRITING_TOOLS)
        .setPromptTokens(374)
        .setMaxOutputTokens(44)
        .setPrivacyClass(PrivacyClass.PERSONAL)
        .setThirdPartyConsent(false)
        .setDeviceState(new DeviceState(63, false, ThermalState.FAIR))
        .setLatencyTargetMs(1500)
        .setOrigin("simulator")
        .build();
  }

  public static TelemetrySample telemetry() {
    return TelemetrySample.newBuilder()
        .setSourceId("trn1-node-7")
        .setChipModel("trainium1")
        .setTimestamp(T0)
        .setIntervalMs(10_000)
        .setWorkload(Workload.TRAINING)
        .setAvgPowerWatts(410.5)
        .setUtilization(0.87)
        .setTokensProcessed(1_250_000)
        .setRequestsCompleted(0)
        .setChipCount(2)
        .build();
  }

  public static RoutingDecision decision() {
    return RoutingDecision.newBuilder()
        .setRequestId("req-1")
        .setTimestamp(T0)
        .setDeviceId("iphone-42")
        .setDeviceChip("a17-pro")
        .setFeature(Feature.WRITING_TOOLS)
        .setTarget(ExecutionTarget.CLOUD)
        .setChipModel("inferentia2")
        .setChipFamily(ChipFamily.INFERENTIA)
        .setTier(ComputeTier.PUBLIC_CLOUD)
        .setReasons(List.of(RoutingReason.LOW_BATTERY, RoutingReason.OBJECTIVE_ENERGY))
        .setObjective(Objective.ENERGY)
        .setEstimatedLatencyMs(181.5)
        .setEstimatedEnergyJoules(12.25)
        .setEstimatedCostUsd(0.0000021)
        .setPromptTokens(374)
        .setOutputTokens(44)
        .setPolicyVersion("default-1")
        .build();
  }

  public static ChipFamilyEfficiency efficiency() {
    return ChipFamilyEfficiency.newBuilder()
        .setChipFamily(ChipFamily.GRAVITON)
        .setWindowStart(T0)
        .setWindowEnd(T0.plusSeconds(60))
        .setIsFinal(true)
        .setRequests(120)
        .setLocalRequests(0)
        .setCloudRequests(120)
        .setPromptTokens(48_000)
        .setOutputTokens(9_000)
        .setEstimatedEnergyJoules(2_400.0)
        .setEstimatedCostUsd(0.012)
        .setMeasuredEnergyJoules(2_600.0)
        .setMeasuredTokens(57_500)
        .setTokensPerJoule(22.1)
        .setTokensPerJouleBasis(EfficiencyBasis.MEASURED)
        .setTokensPerDollar(4_750_000.0)
        .setLatencyP50Ms(140.0)
        .setLatencyP95Ms(420.0)
        .setLatencyP99Ms(610.0)
        .setLocalShare(0.0)
        .setEfficiencyIndexVsX86(1.41)
        .build();
  }

  private static Figure published(double value, String source) {
    return new Figure(value, FigureBasis.PUBLISHED, source);
  }

  private static Figure derived(double value, String formula) {
    return new Figure(value, FigureBasis.DERIVED, formula);
  }
}
