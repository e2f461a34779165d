package io.chipstream.classify;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.ComputeTier;
import io.chipstream.avro.Objective;
import java.util.Collection;
import java.util.List;

/**
 * The chips a request may be sent to off its device: a catalog's private and public cloud chips
 * that have every figure an estimate needs, in the catalog's order. Made once per catalog, not
 * per request: these checks do not depend on the request, and made per request they were the
 * larger part of a decision's cost in the pipeline's profile.
 */
public final class CloudChips {
  private final List<ChipCapability> chips;
  // Each chip's figures as plain numbers, by its index in chips: a request tests and estimates
  // every chip, and reading them through the Avro objects (a Figure and a boxed Double each)
  // cost more than the arithmetic.
  private final long[] maxContextTokens;
  private final boolean[] isPublic;
  private final ChipFamily[] family;
  private final double[] prefillTokensPerSecond;
  private final double[] decodeTokensPerSecond;
  private final double[] powerWatts;
  private final double[] costPerHourUsd;

  private CloudChips(List<ChipCapability> chips) {
    this.chips = chips;
    int n = chips.size();
    maxContextTokens = new long[n];
    isPublic = new boolean[n];
    family = new ChipFamily[n];
    prefillTokensPerSecond = new double[n];
    decodeTokensPerSecond = new double[n];
    powerWatts = new double[n];
    costPerHourUsd = new double[n];
    for (int i = 0; i < n; i++) {
      ChipCapability chip = chips.get(i);
      maxContextTokens[i] = chip.getMaxContextTokens();
      isPublic[i] = chip.getTier() == ComputeTier.PUBLIC_CLOUD;
      family[i] = chip.getChipFamily();
      prefillTokensPerSecond[i] = chip.getPrefillTokensPerSecond().getValue();
      decodeTokensPerSecond[i] = chip.getDecodeTokensPerSecond().getValue();
      powerWatts[i] = chip.getPowerWatts().getValue();
      costPerHourUsd[i] = chip.getCostPerHourUsd().getValue();
    }
  }

  /** The cloud chips of {@code catalog}; device chips and chips lacking a figure are left out. */
  public static CloudChips of(Collection<ChipCapability> catalog) {
    return new CloudChips(catalog.stream()
        .filter(chip -> chip.getTier() != ComputeTier.DEVICE && Estimator.estimable(chip))
        .toList());
  }

  /** The chips, in the catalog's order; unmodifiable. */
  public List<ChipCapability> chips() {
    return chips;
  }

  int size() {
    return chips.size();
  }

  long maxContextTokens(int chip) {
    return maxContextTokens[chip];
  }

  boolean isPublic(int chip) {
    return isPublic[chip];
  }

  ChipFamily family(int chip) {
    return family[chip];
  }

  /**
   * The estimate's value for {@code objective} of a request on chip number {@code chip}: the
   * same arithmetic as {@link Estimator#estimate} on the chip's row, so the same number.
   */
  double value(Estimator estimator, int chip, Objective objective, int promptTokens,
      int outputTokens) {
    double seconds = Estimator.seconds(promptTokens, outputTokens,
        prefillTokensPerSecond[chip], decodeTokensPerSecond[chip]);
    return switch (objective) {
      case ENERGY -> Estimator.energyJoules(powerWatts[chip], seconds);
      case COST -> Estimator.costUsd(costPerHourUsd[chip], seconds);
      case LATENCY -> estimator.cloudLatencyMs(seconds);
    };
  }
}
