package io.chipstream.schema.topics;

import java.util.List;

/**
 * The names of Chipstream's topics. The defaults are the product's contract; tests and
 * side-by-side deployments may add a prefix.
 *
 * @param catalog chip capabilities, compacted, keyed by chip model
 * @param requests inference requests, keyed by request id
 * @param telemetry fleet telemetry, keyed by source id
 * @param decisions routing decisions, keyed by request id
 * @param efficiency rolling efficiency per chip family, keyed by family and window
 * @param deadLetters records that could not be processed, with the reason in headers
 */
public record TopicNames(String catalog, String requests, String telemetry, String decisions,
    String efficiency, String deadLetters) {

  public static final TopicNames DEFAULT = new TopicNames("chip-catalog", "inference-requests",
      "fleet-telemetry", "routing-decisions", "chip-efficiency", "chipstream-dlq");

  /** The default names, each preceded by {@code prefix}. */
  public static TopicNames withPrefix(String prefix) {
    return new TopicNames(prefix + DEFAULT.catalog, prefix + DEFAULT.requests,
        prefix + DEFAULT.telemetry, prefix + DEFAULT.decisions, prefix + DEFAULT.efficiency,
        prefix + DEFAULT.deadLetters);
  }

  public List<String> all() {
    return List.of(catalog, requests, telemetry, decisions, efficiency, deadLetters);
  }
}
