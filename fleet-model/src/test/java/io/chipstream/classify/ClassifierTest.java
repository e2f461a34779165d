package io.chipstream.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ComputeTier;
import io.chipstream.avro.DeviceState;
import io.chipstream.avro.ExecutionTarget;
import io.chipstream.avro.Feature;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.Objective;
import io.chipstream.avro.PrivacyClass;
import io.chipstream.avro.RoutingReason;
import io.chipstream.avro.ThermalState;
import io.chipstream.catalog.ChipCatalogCsv;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The routing rules, one at a time, on the built-in catalog. */
class ClassifierTest {
  private static final Map<String, ChipCapability> CATALOG = ChipCatalogCsv.builtIn(Instant.EPOCH)
      .stream().collect(Collectors.toMap(ChipCapability::getChipModel, Function.identity()));
  private static final List<ChipCapability> CLOUD = CATALOG.values().stream()
      .filter(c -> c.getTier() != ComputeTier.DEVICE).toList();
  private final Classifier classifier = new Classifier(RoutingPolicy.defaults());

  private static InferenceRequest.Builder request() {
    return InferenceRequest.newBuilder()
        .setRequestId("r1").setDeviceId("d1").setDeviceChip("a17-pro")
        .setTimestamp(Instant.EPOCH).setFeature(Feature.WRITING_TOOLS)
        .setPromptTokens(400).setMaxOutputTokens(100)
        .setPrivacyClass(PrivacyClass.NON_PERSONAL)
        .setDeviceState(new DeviceState(80, false, ThermalState.NOMINAL));
  }

  private Decision decide(InferenceRequest.Builder request) {
    InferenceRequest r = request.build();
    return classifier.classify(r, CATALOG.get(r.getDeviceChip()), CLOUD);
  }

  @Test
  void aSmallRequestOnACapableDeviceRunsLocally() {
    Decision d = decide(request());
    assertThat(d.target()).isEqualTo(ExecutionTarget.LOCAL);
    assertThat(d.chip().getChipModel()).isEqualTo("a17-pro");
    assertThat(d.reasons()).containsExactly(RoutingReason.FITS_ON_DEVICE);
    // 400 / 1667 + 100 / 30 s = 3.573 s; 10.39 W x that; no cost on the device.
    assertThat(d.estimate().latencyMs()).isCloseTo(3573.3, within(0.5));
    assertThat(d.estimate().energyJoules()).isCloseTo(37.13, within(0.01));
    assertThat(d.estimate().costUsd()).isZero();
  }

  @Test
  void anUnknownDeviceChipGoesToTheCloud() {
    Decision d = decide(request().setDeviceChip("pixel-9"));
    assertThat(d.target()).isEqualTo(ExecutionTarget.CLOUD);
    assertThat(d.reasons()).containsExactly(RoutingReason.DEVICE_CHIP_UNKNOWN,
        RoutingReason.OBJECTIVE_ENERGY);
  }

  @Test
  void aChipThatCannotRunTheModelGoesToTheCloud() {
    Decision d = decide(request().setDeviceChip("a16-bionic"));
    assertThat(d.target()).isEqualTo(ExecutionTarget.CLOUD);
    assertThat(d.reasons()).startsWith(RoutingReason.DEVICE_CANNOT_RUN_MODEL);
  }

  @Test
  void aRequestBeyondTheDeviceContextWindowGoesToTheCloud() {
    Decision d = decide(request().setPromptTokens(4000).setMaxOutputTokens(200));
    assertThat(d.target()).isEqualTo(ExecutionTarget.CLOUD);
    assertThat(d.reasons()).containsExactly(RoutingReason.CONTEXT_EXCEEDS_DEVICE,
        RoutingReason.OBJECTIVE_ENERGY);
    assertThat(d.chip().getMaxContextTokens()).isGreaterThanOrEqualTo(4200);
  }

  @Test
  void aFeatureThatNeedsTheServerModelGoesToTheCloud() {
    Decision d = decide(request().setFeature(Feature.SIRI));
    assertThat(d.target()).isEqualTo(ExecutionTarget.CLOUD);
    assertThat(d.reasons()).contains(RoutingReason.FEATURE_NEEDS_SERVER_MODEL);
  }

  @Test
  void anApprovedHandOffGoesToThePublicCloud() {
    Decision d = decide(request().setFeature(Feature.THIRD_PARTY_HANDOFF)
        .setPrivacyClass(PrivacyClass.PERSONAL).setThirdPartyConsent(true));
    assertThat(d.target()).isEqualTo(ExecutionTarget.CLOUD);
    assertThat(d.chip().getTier()).isEqualTo(ComputeTier.PUBLIC_CLOUD);
    assertThat(d.reasons()).contains(RoutingReason.THIRD_PARTY_HANDOFF);
  }

  @Test
  void aHandOffWithoutConsentNeverLeavesThePrivateTier() {
    Decision stays = decide(request().setFeature(Feature.THIRD_PARTY_HANDOFF));
    assertThat(stays.target()).isEqualTo(ExecutionTarget.LOCAL);
    assertThat(stays.reasons()).contains(RoutingReason.THIRD_PARTY_WITHOUT_CONSENT);

    Decision tooBig = decide(request().setFeature(Feature.THIRD_PARTY_HANDOFF)
        .setPromptTokens(8000));
    assertThat(tooBig.target()).isEqualTo(ExecutionTarget.CLOUD);
    assertThat(tooBig.chip().getTier()).isEqualTo(ComputeTier.PRIVATE_CLOUD);
  }

  @Test
  void personalDataWithoutConsentStaysInThePrivateCloud() {
    Decision d = decide(request().setPrivacyClass(PrivacyClass.PERSONAL).setPromptTokens(8000));
    assertThat(d.chip().getChipModel()).isEqualTo("m2-ultra");
    assertThat(d.reasons()).containsExactly(RoutingReason.CONTEXT_EXCEEDS_DEVICE,
        RoutingReason.PERSONAL_DATA_KEPT_PRIVATE, RoutingReason.OBJECTIVE_ENERGY);

    Decision consented = decide(request().setPrivacyClass(PrivacyClass.SENSITIVE)
        .setThirdPartyConsent(true).setPromptTokens(8000));
    assertThat(consented.chip().getTier()).isEqualTo(ComputeTier.PUBLIC_CLOUD);
    assertThat(consented.reasons()).doesNotContain(RoutingReason.PERSONAL_DATA_KEPT_PRIVATE);
  }

  @Test
  void aLowBatteryNotChargingOrAHotDeviceIsConstrained() {
    assertThat(decide(request().setDeviceState(new DeviceState(15, false, ThermalState.NOMINAL)))
        .reasons()).startsWith(RoutingReason.LOW_BATTERY);
    assertThat(decide(request().setDeviceState(new DeviceState(15, true, ThermalState.NOMINAL)))
        .target()).as("charging: not constrained").isEqualTo(ExecutionTarget.LOCAL);
    assertThat(decide(request().setDeviceState(new DeviceState(90, true, ThermalState.SERIOUS)))
        .reasons()).startsWith(RoutingReason.THERMAL_PRESSURE);
    assertThat(decide(request().setDeviceState(new DeviceState(90, true, ThermalState.FAIR)))
        .target()).isEqualTo(ExecutionTarget.LOCAL);
  }

  @Test
  void aDeviceSlowerThanTheTargetYieldsToAFasterCloud() {
    Decision d = decide(request().setLatencyTargetMs(1500));
    assertThat(d.target()).isEqualTo(ExecutionTarget.CLOUD);
    assertThat(d.reasons()).containsExactly(RoutingReason.DEVICE_LATENCY_OVER_TARGET,
        RoutingReason.OBJECTIVE_ENERGY);

    Decision generous = decide(request().setLatencyTargetMs(10_000));
    assertThat(generous.target()).isEqualTo(ExecutionTarget.LOCAL);
  }

  @Test
  void theObjectivePicksAmongTheAllowedCloudChips() {
    InferenceRequest r = request().setPromptTokens(1000).setMaxOutputTokens(200)
        .setDeviceChip("a16-bionic").build();
    ChipCapability device = CATALOG.get("a16-bionic");

    Decision energy = classifier.classify(r, device, CLOUD);
    Decision cost = new Classifier(RoutingPolicy.defaults().withObjective(Objective.COST))
        .classify(r, device, CLOUD);
    Decision latency = new Classifier(RoutingPolicy.defaults().withObjective(Objective.LATENCY))
        .classify(r, device, CLOUD);

    assertThat(energy.chip().getChipModel()).isEqualTo("inferentia2");
    assertThat(cost.chip().getChipModel()).as("amortised private hardware").isEqualTo("m2-ultra");
    assertThat(latency.chip().getChipModel()).isEqualTo("h100-sxm");
    assertThat(latency.reasons()).endsWith(RoutingReason.OBJECTIVE_LATENCY);
    for (ChipCapability chip : CLOUD) {
      if (Estimator.estimable(chip)) {
        Estimate e = new Estimator(80).estimate(chip, 1000, 200);
        assertThat(energy.estimate().energyJoules()).isLessThanOrEqualTo(e.energyJoules());
        assertThat(latency.estimate().latencyMs()).isLessThanOrEqualTo(e.latencyMs());
      }
    }
  }

  @Test
  void chipsWithUnknownFiguresAreNeverChosen() {
    List<ChipCapability> onlyUnknown = List.of(CATALOG.get("a10g"), CATALOG.get("trainium2"));
    Decision d = classifier.classify(request().setDeviceChip("pixel").build(), null, onlyUnknown);
    assertThat(d.target()).isEqualTo(ExecutionTarget.CLOUD);
    assertThat(d.chip()).isNull();
    assertThat(d.reasons()).containsExactly(RoutingReason.DEVICE_CHIP_UNKNOWN,
        RoutingReason.NO_CLOUD_CHIP_AVAILABLE);

    Decision local = classifier.classify(request().setFeature(Feature.SIRI).build(),
        CATALOG.get("a17-pro"), onlyUnknown);
    assertThat(local.target()).isEqualTo(ExecutionTarget.LOCAL);
    assertThat(local.reasons()).containsExactly(RoutingReason.FEATURE_NEEDS_SERVER_MODEL,
        RoutingReason.NO_CLOUD_CHIP_AVAILABLE);
  }

  @Test
  void cloudEstimatesFollowTheDocumentedFormulas() {
    // Inferentia2: prefill 3881.4 tokens/s (R2), decode 58.6 (R1), 134.5 W, $0.7582/h.
    Estimate e = new Estimator(80).estimate(CATALOG.get("inferentia2"), 1000, 200);
    double seconds = 1000 / 3881.4 + 200 / 58.6;
    assertThat(e.latencyMs()).isCloseTo(1000 * seconds + 80, within(0.5));
    assertThat(e.energyJoules()).isCloseTo(134.5 * seconds, within(0.1));
    assertThat(e.costUsd()).isCloseTo(0.7582 * seconds / 3600, within(1e-7));
  }
}
