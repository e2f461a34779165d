package io.chipstream.testkit;

/** Which real broker the integration tests run against. */
public enum BrokerKind {
  /** {@code apache/kafka} in a container, through Testcontainers. */
  TESTCONTAINERS,
  /** Apache Kafka's own server in a child JVM on this machine. */
  LOCAL_PROCESS
}
