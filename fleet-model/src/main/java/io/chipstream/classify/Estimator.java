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
    double seconds = promptTokens / chip.getPrefillTokensPerSecond().getValue()
        + outputTokens / chip.getDecodeTokensPerSecond().getValue();
    boolean onDevice = chip.getTier() == ComputeTier.DEVICE;
    double latencyMs = 1000 * seconds + (onDevice ? 0 : cloudRoundTripMs);
    double energy = chip.getPowerWatts().getValue() * seconds;
    double cost = onDevice ? 0 : chip.getCostPerHourUsd().getValue() * seconds / 3600;
    return new Estimate(latencyMs, energy, cost);
  }

  private static boolean known(Figure figure) {
    return figure != null && figure.getValue() != null && figure.getValue() >= 0;
  }

  private static boolean positive(Figure figure) {
    return known(figure) && figure.getValue() > 0;
  }
}
