package io.chipstream.classify;

/**
 * What running one request on one chip is estimated to take.
 *
 * @param latencyMs time to the last token, including the network round trip in the cloud
 * @param energyJoules energy the chip spends on the request
 * @param costUsd what the chip-time costs the operator
 */
public record Estimate(double latencyMs, double energyJoules, double costUsd) {}
