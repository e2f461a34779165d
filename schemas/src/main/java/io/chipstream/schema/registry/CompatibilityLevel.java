package io.chipstream.schema.registry;

import java.util.Locale;
import java.util.Optional;

/** Confluent's compatibility levels. BACKWARD is the registry default. */
public enum CompatibilityLevel {
  NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

  /** The level named by {@code name} (case-insensitive), if it is one. */
  public static Optional<CompatibilityLevel> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether new schemas must be readable by old readers (FORWARD, FULL). */
  public boolean checksForward() {
    return this == FORWARD || this == FORWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
  }

  /** Whether new readers must read old schemas (BACKWARD, FULL). */
  public boolean checksBackward() {
    return this == BACKWARD || this == BACKWARD_TRANSITIVE || this == FULL
        || this == FULL_TRANSITIVE;
  }

  /** Whether every earlier version is checked, not just the latest. */
  public boolean transitive() {
    return name().endsWith("_TRANSITIVE");
  }
}
