package io.chipstream.classify;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ComputeTier;
import io.chipstream.avro.Figure;

/**
 * Estimates latency, energy and cost of a request on a chip from its catalog figures.
 *
 * <pre>
 * compute seconds  s = promptTokens / prefillTokensPerSecond + outputTokens / decodeTokensPerSecond
 * latency ms         = 1000 * s  (+ the policy's cloud round trip, off the device)
 * energy joules      = powerWatts * s
 * cost US dollars    = costPerHourUsd * s / 3600   (0 on a device: the user owns it)
 * </pre>
 *
 * A chip is estimable only when its prefill and decode rates and its power are known, and, off
 * the device, its price too: the router never guesses a missing figure.
 */
public final class Estimator {
  private final double cloudRoundTripMs;

  public Estimator(double cloudRoundTripMs) {
    this.cloudRoundTripMs = cloudRoundTripMs;
  }

  /** Whether {@link #estimate} can be computed for {@code chip}. */
  public static boolean estimable(ChipCapability chip) {
    return positive(chip.getPrefillTokensPerSecond()) && positive(chip.getDecodeTokensPerSecond())
        && known(chip.getPowerWatts())
        && (chip.getTier() == ComputeTier.DEVICE || known(chip.getCostPerHourUsd()));
  }

  /** The estimate of {@code promptTokens} in and {@code outputTokens} out on {@code chip}. */
  public Estimate estimate(ChipCapability chip, int promptTokens, int outputTokens) {
    double seconds = seconds(promptTokens, outputTokens,
        chip.getPrefillTokensPerSecond().getValue(), chip.getDecodeTokensPerSecond().getValue());
    if (chip.getTier() == ComputeTier.DEVICE) {
      return new Estimate(1000 * seconds, energyJoules(chip.getPowerWatts().getValue(), seconds),
          0);
    }
    return new Estimate(cloudLatencyMs(seconds),
        energyJoules(chip.getPowerWatts().getValue(), seconds),
        costUsd(chip.getCostPerHourUsd().getValue(), seconds));
  }

  // The formulas, one place for estimate and CloudChips' per-chip values.

  static double seconds(int promptTokens, int outputTokens, double prefillTokensPerSecond,
      double decodeTokensPerSecond) {
    return promptTokens / prefillTokensPerSecond + outputTokens / decodeTokensPerSecond;
  }

  double cloudLatencyMs(double seconds) {
    return 1000 * seconds + cloudRoundTripMs;
  }

  static double energyJoules(double powerWatts, double seconds) {
    return powerWatts * seconds;
  }

  static double costUsd(double costPerHourUsd, double seconds) {
    return costPerHourUsd * seconds / 3600;
  }

  private static boolean known(Figure figure) {
    return figure != null && figure.getValue() != null && figure.getValue() >= 0;
  }

  private static boolean positive(Figure figure) {
    return known(figure) && figure.getValue() > 0;
  }
}
