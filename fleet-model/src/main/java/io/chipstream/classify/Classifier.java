package io.chipstream.classify;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.ExecutionTarget;
import io.chipstream.avro.Feature;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.Objective;
import io.chipstream.avro.PrivacyClass;
import io.chipstream.avro.RoutingReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Chipstream's routing rules: an explainable policy, applied in this order.
 *
 * <ol>
 *   <li>Reasons the device cannot serve the request: its chip is unknown
 *       (DEVICE_CHIP_UNKNOWN) or cannot run the on-device model (DEVICE_CANNOT_RUN_MODEL);
 *       prompt plus output exceed its context window (CONTEXT_EXCEEDS_DEVICE).</li>
 *   <li>Reasons it should not: the feature needs the server model
 *       (FEATURE_NEEDS_SERVER_MODEL); a third-party hand-off the user approved
 *       (THIRD_PARTY_HANDOFF); low battery and not charging (LOW_BATTERY); thermal pressure
 *       (THERMAL_PRESSURE); the device's estimated latency is over the request's target and
 *       the best allowed cloud chip is faster (DEVICE_LATENCY_OVER_TARGET).</li>
 *   <li>Which cloud chips are allowed: a hand-off without consent never leaves the private
 *       tier (THIRD_PARTY_WITHOUT_CONSENT); nor does personal or sensitive content without
 *       consent (PERSONAL_DATA_KEPT_PRIVATE, said when it excluded a public chip); an approved
 *       hand-off goes to the public cloud. A chip must fit the request's context and have every
 *       figure the estimate needs.</li>
 *   <li>If any reason sends the request off the device, the policy's objective picks among the
 *       allowed cloud chips (OBJECTIVE_ENERGY, _COST or _LATENCY); if none is allowed the
 *       request stays on a device that can run it (NO_CLOUD_CHIP_AVAILABLE). Otherwise it runs
 *       on the device (FITS_ON_DEVICE).</li>
 *   <li>With a baseline in the policy, a request bound for the cloud whose id falls in a
 *       baseline family's share runs instead on that family's allowed chip that best meets the
 *       objective, if every baseline family has an allowed chip within its latency target
 *       (BASELINE_SAMPLE, in place of the objective's reason): so that a family the objective
 *       never picks is measured too, on the same mix of requests as the other baseline
 *       families.</li>
 * </ol>
 *
 * <p>Pure and thread-safe: no Kafka, no I/O.
 */
public final class Classifier {
  private final RoutingPolicy policy;
  private final Estimator estimator;

  public Classifier(RoutingPolicy policy) {
    this.policy = policy;
    this.estimator = new Estimator(policy.cloudRoundTripMs());
  }

  public RoutingPolicy policy() {
    return policy;
  }

  /**
   * Decides one request, with a catalog's chips given as they are (device chips and chips
   * lacking a figure among them are left out). For many requests on one catalog, make its
   * {@link CloudChips} once and use {@link #classify(InferenceRequest, ChipCapability,
   * CloudChips)}.
   */
  public Decision classify(InferenceRequest request, ChipCapability device,
      List<ChipCapability> catalogChips) {
    return classify(request, device, CloudChips.of(catalogChips));
  }

  /**
   * Decides one request.
   *
   * @param request a valid request
   * @param device the catalog row of the request's device chip; null if the catalog lacks it
   * @param cloudChips the catalog's chips off the device (private and public cloud)
   */
  public Decision classify(InferenceRequest request, ChipCapability device,
      CloudChips cloudChips) {
    List<RoutingReason> reasons = new ArrayList<>();
    int prompt = request.getPromptTokens();
    int output = request.getMaxOutputTokens();
    boolean deviceCanServe = true;
    if (device == null) {
      reasons.add(RoutingReason.DEVICE_CHIP_UNKNOWN);
      deviceCanServe = false;
    } else if (!device.getRunsOnDeviceModel() || !Estimator.estimable(device)) {
      reasons.add(RoutingReason.DEVICE_CANNOT_RUN_MODEL);
      deviceCanServe = false;
    } else if ((long) prompt + output > device.getMaxContextTokens()) {
      reasons.add(RoutingReason.CONTEXT_EXCEEDS_DEVICE);
      deviceCanServe = false;
    }

    boolean consent = request.getThirdPartyConsent();
    boolean handoff = request.getFeature() == Feature.THIRD_PARTY_HANDOFF;
    boolean offDevice = !deviceCanServe;
    if (policy.serverModelFeatures().contains(request.getFeature())) {
      reasons.add(RoutingReason.FEATURE_NEEDS_SERVER_MODEL);
      offDevice = true;
    }
    if (handoff && consent) {
      reasons.add(RoutingReason.THIRD_PARTY_HANDOFF);
      offDevice = true;
    } else if (handoff) {
      reasons.add(RoutingReason.THIRD_PARTY_WITHOUT_CONSENT);
    }
    if (device != null && deviceCanServe) {
      if (!request.getDeviceState().getCharging()
          && request.getDeviceState().getBatteryPercent() < policy.lowBatteryPercent()) {
        reasons.add(RoutingReason.LOW_BATTERY);
        offDevice = true;
      }
      if (request.getDeviceState().getThermalState().ordinal()
          >= policy.thermalLimit().ordinal()) {
        reasons.add(RoutingReason.THERMAL_PRESSURE);
        offDevice = true;
      }
    }

    Allowed allowed = Allowed.of(request);
    if (allowed.privateOnly() && !handoff && anyPublicFits(cloudChips, allowed)) {
      reasons.add(RoutingReason.PERSONAL_DATA_KEPT_PRIVATE);
    }

    Estimate onDevice = deviceCanServe ? estimator.estimate(device, prompt, output) : null;
    if (!offDevice && onDevice != null) {
      int target = latencyTarget(request);
      if (target > 0 && onDevice.latencyMs() > target) {
        Choice fastest = choose(cloudChips, allowed, prompt, output, Objective.LATENCY, null);
        if (fastest != null && fastest.estimate().latencyMs() < onDevice.latencyMs()) {
          reasons.add(RoutingReason.DEVICE_LATENCY_OVER_TARGET);
          offDevice = true;
        }
      }
    }

    // The objective's pick among the cloud chips (an estimate per allowed chip, the larger part
    // of a decision) only for a request that leaves its device: one that stays needs none.
    Choice best = offDevice
        ? choose(cloudChips, allowed, prompt, output, policy.objective(), null) : null;
    if (best != null) {
      Choice sample = policy.hasBaseline()
          ? baselineSample(request, cloudChips, allowed, best, latencyTarget(request)) : null;
      reasons.add(sample != null ? RoutingReason.BASELINE_SAMPLE
          : objectiveReason(policy.objective()));
      Choice chosen = sample != null ? sample : best;
      return new Decision(ExecutionTarget.CLOUD, chosen.chip(), reasons, chosen.estimate());
    }
    if (offDevice && !deviceCanServe) {
      reasons.add(RoutingReason.NO_CLOUD_CHIP_AVAILABLE);
      return new Decision(ExecutionTarget.CLOUD, null, reasons, new Estimate(0, 0, 0));
    }
    if (offDevice) {
      reasons.add(RoutingReason.NO_CLOUD_CHIP_AVAILABLE);
    } else {
      reasons.add(RoutingReason.FITS_ON_DEVICE);
    }
    return new Decision(ExecutionTarget.LOCAL, device, reasons, onDevice);
  }

  /**
   * Which cloud chips a request may use: no list is built per request (its growth and copies
   * showed in the stream thread's profile); {@link #choose} tests each chip as it goes.
   *
   * @param needed the context the request needs: prompt plus output tokens
   * @param privateOnly without consent, a hand-off or personal content stays in the private tier
   * @param publicOnly an approved hand-off goes to the third party, in the public cloud
   */
  private record Allowed(long needed, boolean privateOnly, boolean publicOnly) {
    static Allowed of(InferenceRequest request) {
      boolean consent = request.getThirdPartyConsent();
      boolean handoff = request.getFeature() == Feature.THIRD_PARTY_HANDOFF;
      return new Allowed((long) request.getPromptTokens() + request.getMaxOutputTokens(),
          !consent && (handoff || request.getPrivacyClass() != PrivacyClass.NON_PERSONAL),
          handoff && consent);
    }

    boolean admits(CloudChips chips, int chip) {
      boolean isPublic = chips.isPublic(chip);
      return chips.maxContextTokens(chip) >= needed && !(isPublic && privateOnly)
          && (isPublic || !publicOnly);
    }
  }

  /** Whether the private-only rule kept the request off a public chip that would fit it. */
  private static boolean anyPublicFits(CloudChips cloudChips, Allowed allowed) {
    for (int i = 0; i < cloudChips.size(); i++) {
      if (cloudChips.isPublic(i) && cloudChips.maxContextTokens(i) >= allowed.needed()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The chip of the baseline family whose share {@code request} falls in, unless that is the
   * family of the objective's pick; null otherwise, and null too unless every baseline family
   * has a chip the request may use that meets its latency target (0 for none). So each family's
   * share is drawn from the same requests, and their mixes compare: a family that could take
   * only the short requests would look better or worse for its mix, not its chips.
   */
  private Choice baselineSample(InferenceRequest request, CloudChips cloudChips, Allowed allowed,
      Choice objectivePick, int latencyTarget) {
    List<ChipFamily> families = policy.baselineFamilies();
    int slot = (int) (unitHash(request.getRequestId()) / policy.baselineShare());
    if (slot >= families.size() || objectivePick.chip().getChipFamily() == families.get(slot)) {
      return null;
    }
    Choice sample = null;
    for (int i = 0; i < families.size(); i++) {
      Choice best = choose(cloudChips, allowed, request.getPromptTokens(),
          request.getMaxOutputTokens(), policy.objective(), families.get(i));
      if (best == null || (latencyTarget > 0 && best.estimate().latencyMs() > latencyTarget)) {
        return null;
      }
      if (i == slot) {
        sample = best;
      }
    }
    return sample;
  }

  /**
   * A number in [0, 1) from {@code id}, the same for the same id in every JVM (String's hash,
   * which the language fixes, spread over the range by Fibonacci hashing).
   */
  static double unitHash(String id) {
    return ((id.hashCode() * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53;
  }

  /**
   * The allowed chip with the least of {@code objective}, ties broken on chip model so the same
   * input always gives the same decision; null if none is allowed. A plain loop over the chips'
   * figures as numbers (CloudChips), and one estimate object, for the chip chosen: this runs for
   * nearly every request, and streams, comparators and the figures' objects cost more than the
   * arithmetic.
   *
   * @param family only chips of this family; null for any
   */
  private Choice choose(CloudChips cloudChips, Allowed allowed, int prompt, int output,
      Objective objective, ChipFamily family) {
    int best = -1;
    double bestValue = 0;
    for (int i = 0; i < cloudChips.size(); i++) {
      if (!allowed.admits(cloudChips, i) || (family != null && cloudChips.family(i) != family)) {
        continue;
      }
      double value = cloudChips.value(estimator, i, objective, prompt, output);
      int order = best < 0 ? -1 : Double.compare(value, bestValue);
      if (order < 0 || (order == 0 && cloudChips.chips().get(i).getChipModel()
          .compareTo(cloudChips.chips().get(best).getChipModel()) < 0)) {
        best = i;
        bestValue = value;
      }
    }
    if (best < 0) {
      return null;
    }
    ChipCapability chip = cloudChips.chips().get(best);
    return new Choice(chip, estimator.estimate(chip, prompt, output));
  }

  private int latencyTarget(InferenceRequest request) {
    Integer target = request.getLatencyTargetMs();
    return target != null ? target : policy.defaultLatencyTargetMs();
  }

  private static RoutingReason objectiveReason(Objective objective) {
    return switch (objective) {
      case ENERGY -> RoutingReason.OBJECTIVE_ENERGY;
      case COST -> RoutingReason.OBJECTIVE_COST;
      case LATENCY -> RoutingReason.OBJECTIVE_LATENCY;
    };
  }

  private record Choice(ChipCapability chip, Estimate estimate) {}
}
