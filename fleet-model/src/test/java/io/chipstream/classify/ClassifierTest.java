package io.chipstream.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ChipFamily;
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

  private static RoutingPolicy withBaseline(String families, double share) {
    java.util.Properties p = RoutingPolicy.defaultProperties();
    p.setProperty("baseline.families", families);
    p.setProperty("baseline.share", Double.toString(share));
    return RoutingPolicy.from(p);
  }

  private static ChipCapability bestByEnergy(ChipFamily family, int prompt, int output) {
    Estimator estimator = new Estimator(80);
    return CLOUD.stream()
        .filter(c -> c.getChipFamily() == family && Estimator.estimable(c))
        .min(java.util.Comparator.comparingDouble(
            (ChipCapability c) -> estimator.estimate(c, prompt, output).energyJoules()))
        .orElseThrow();
  }

  @Test
  void aBaselineFamilyTakesItsShareOfTheCloudsRequestsWhateverTheObjective() {
    Classifier baseline = new Classifier(withBaseline("X86, graviton", 0.1));
    ChipCapability device = CATALOG.get("a16-bionic");
    Map<ChipFamily, Integer> byFamily = new java.util.EnumMap<>(ChipFamily.class);
    int requests = 4000;
    for (int i = 0; i < requests; i++) {
      InferenceRequest r = request().setRequestId("request-" + i).setDeviceChip("a16-bionic")
          .setPromptTokens(1000).setMaxOutputTokens(200).build();
      Decision d = baseline.classify(r, device, CLOUD);
      byFamily.merge(d.chip().getChipFamily(), 1, Integer::sum);
      Decision objective = classifier.classify(r, device, CLOUD);
      assertThat(objective.chip().getChipModel()).isEqualTo("inferentia2");
      if (d.chip().getChipFamily() == ChipFamily.INFERENTIA) {
        assertThat(d).as("outside the shares, the objective's pick").isEqualTo(objective);
      } else {
        assertThat(d.reasons()).containsExactly(RoutingReason.DEVICE_CANNOT_RUN_MODEL,
            RoutingReason.BASELINE_SAMPLE);
        assertThat(d.chip())
            .isEqualTo(bestByEnergy(d.chip().getChipFamily(), 1000, 200));
        assertThat(baseline.classify(r, device, CLOUD)).as("the same id, the same decision")
            .isEqualTo(d);
      }
    }
    // 10% each, of 4,000: 400 expected, 3 standard deviations (19) either side is 343..457.
    assertThat(byFamily.get(ChipFamily.X86)).isBetween(343, 457);
    assertThat(byFamily.get(ChipFamily.GRAVITON)).isBetween(343, 457);
    assertThat(byFamily.keySet()).containsExactlyInAnyOrder(ChipFamily.X86, ChipFamily.GRAVITON,
        ChipFamily.INFERENTIA);
  }

  @Test
  void aBaselineNeverMovesARequestTheRulesKeepOnTheDeviceOrInThePrivateTier() {
    Classifier all = new Classifier(withBaseline("X86", 1.0));
    for (int i = 0; i < 200; i++) {
      Decision local = decide(all, request().setRequestId("local-" + i));
      assertThat(local.target()).isEqualTo(ExecutionTarget.LOCAL);
      assertThat(local.reasons()).containsExactly(RoutingReason.FITS_ON_DEVICE);

      Decision personal = decide(all, request().setRequestId("personal-" + i)
          .setFeature(Feature.SIRI).setPrivacyClass(PrivacyClass.PERSONAL));
      assertThat(personal.chip().getChipModel()).isEqualTo("m2-ultra");
      assertThat(personal.reasons()).endsWith(RoutingReason.OBJECTIVE_ENERGY)
          .doesNotContain(RoutingReason.BASELINE_SAMPLE);
    }
  }

  @Test
  void aBaselineChipThatMissesTheLatencyTargetLeavesTheObjectivesPick() {
    Classifier all = new Classifier(withBaseline("X86", 1.0));
    ChipCapability x86 = bestByEnergy(ChipFamily.X86, 400, 100);
    double x86Ms = new Estimator(80).estimate(x86, 400, 100).latencyMs();
    Decision inferentia = decide(request().setFeature(Feature.SIRI));
    assertThat(inferentia.estimate().latencyMs()).isLessThan(x86Ms);

    Decision tight = decide(all, request().setFeature(Feature.SIRI)
        .setLatencyTargetMs((int) x86Ms - 1));
    assertThat(tight).isEqualTo(decide(request().setFeature(Feature.SIRI)
        .setLatencyTargetMs((int) x86Ms - 1)));
    Decision loose = decide(all, request().setFeature(Feature.SIRI)
        .setLatencyTargetMs((int) x86Ms + 1));
    assertThat(loose.chip()).isEqualTo(x86);
    assertThat(loose.reasons()).containsExactly(RoutingReason.FEATURE_NEEDS_SERVER_MODEL,
        RoutingReason.BASELINE_SAMPLE);
  }

  @Test
  void aRequestOneBaselineFamilyCannotServeInTimeIsInNoFamilysShare() {
    // Every cloud request is in a share; a target between the two families' best chips' times.
    Classifier halves = new Classifier(withBaseline("X86,GRAVITON", 0.5));
    Estimator estimator = new Estimator(80);
    double x86Ms = estimator.estimate(bestByEnergy(ChipFamily.X86, 1000, 200), 1000, 200)
        .latencyMs();
    double gravitonMs = estimator.estimate(bestByEnergy(ChipFamily.GRAVITON, 1000, 200), 1000,
        200).latencyMs();
    assertThat(Math.abs(x86Ms - gravitonMs)).isGreaterThan(100);
    int target = (int) ((x86Ms + gravitonMs) / 2);
    for (int i = 0; i < 100; i++) {
      InferenceRequest.Builder r = request().setRequestId("mix-" + i).setFeature(Feature.SIRI)
          .setPromptTokens(1000).setMaxOutputTokens(200).setLatencyTargetMs(target);
      assertThat(decide(halves, r)).as("the objective's pick, whatever the share")
          .isEqualTo(decide(r));
      assertThat(decide(halves, r.setLatencyTargetMs(null)).reasons())
          .endsWith(RoutingReason.BASELINE_SAMPLE);
    }
  }

  private static Decision decide(Classifier classifier, InferenceRequest.Builder request) {
    InferenceRequest r = request.build();
    return classifier.classify(r, CATALOG.get(r.getDeviceChip()), CLOUD);
  }
}
