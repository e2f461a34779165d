package io.chipstream.catalog;

import io.chipstream.avro.ComputeTier;

/**
 * The model each chip is modelled running, for its token rates (see {@code CATALOG.md}).
 *
 * @param label short name, stored in each catalog row
 * @param parameters parameter count
 * @param weightBytes bytes of weights read per decoded token
 */
record ReferenceModel(String label, double parameters, double weightBytes) {
  /** Apple's on-device model: about 3 billion parameters at about 3.5 bits (published). */
  static final ReferenceModel ON_DEVICE = new ReferenceModel("3B@3.5bit", 3e9, 3e9 * 3.5 / 8);
  /** Chipstream's server reference: 7 billion parameters at 8 bits (an assumption). */
  static final ReferenceModel SERVER = new ReferenceModel("7B@8bit", 7e9, 7e9);

  static ReferenceModel forTier(ComputeTier tier) {
    return tier == ComputeTier.DEVICE ? ON_DEVICE : SERVER;
  }

  /** R1: decode tokens/s from memory bandwidth in GB/s. */
  double decodeTokensPerSecond(double bandwidthGbps) {
    return 0.5 * bandwidthGbps * 1e9 / weightBytes;
  }

  /** R2: prefill tokens/s from peak tera-ops. */
  double prefillTokensPerSecond(double peakTeraOps) {
    return 0.286 * peakTeraOps * 1e12 / (2 * parameters);
  }
}
