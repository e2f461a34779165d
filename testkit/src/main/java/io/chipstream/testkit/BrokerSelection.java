package io.chipstream.testkit;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Chooses the test broker: Testcontainers where a Docker engine answers, the child-JVM broker
 * where none does. {@code -Dchipstream.test.broker} or {@code CHIPSTREAM_TEST_BROKER} may force
 * one: {@code auto} (the default), {@code testcontainers} or {@code local}.
 *
 * @param kind the broker to start
 * @param reason why, for the log
 */
public record BrokerSelection(BrokerKind kind, String reason) {
  public static final String PROPERTY = "chipstream.test.broker";
  public static final String ENVIRONMENT = "CHIPSTREAM_TEST_BROKER";

  /** The setting from the system property, else the environment, else {@code auto}. */
  public static String requested() {
    String value = System.getProperty(PROPERTY);
    if (value == null || value.isBlank()) {
      value = System.getenv(ENVIRONMENT);
    }
    return value == null || value.isBlank() ? "auto" : value;
  }

  /**
   * @param requested {@code auto}, {@code testcontainers} (or {@code docker}) or {@code local}
   * @param dockerAvailable asked only when the choice depends on it
   * @throws IllegalArgumentException for another value, or {@code testcontainers} without Docker
   */
  public static BrokerSelection select(String requested, BooleanSupplier dockerAvailable) {
    String value = requested.trim().toLowerCase(Locale.ROOT);
    switch (value) {
      case "local":
        return new BrokerSelection(BrokerKind.LOCAL_PROCESS, "requested " + PROPERTY + "=local");
      case "testcontainers":
      case "docker":
        if (!dockerAvailable.getAsBoolean()) {
          throw new IllegalArgumentException(PROPERTY + "=" + value
              + " was requested but no Docker engine answers; unset it to use the local broker");
        }
        return new BrokerSelection(BrokerKind.TESTCONTAINERS,
            "requested " + PROPERTY + "=" + value);
      case "auto":
        return dockerAvailable.getAsBoolean()
            ? new BrokerSelection(BrokerKind.TESTCONTAINERS, "a Docker engine answers")
            : new BrokerSelection(BrokerKind.LOCAL_PROCESS, "no Docker engine answers");
      default:
        throw new IllegalArgumentException("unknown " + PROPERTY + " value '" + requested
            + "': use auto, testcontainers or local");
    }
  }
}
