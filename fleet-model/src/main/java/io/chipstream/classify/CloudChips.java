package io.chipstream.classify;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ComputeTier;
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

  private CloudChips(List<ChipCapability> chips) {
    this.chips = chips;
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
}
