package io.chipstream.localkafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a {@link LocalKafkaBroker} was asked for; ports of 0 mean "pick"; no SCRAM user means a
 * plaintext listener without authentication.
 */
record BrokerSettings(
    Path dataDir,
    String host,
    int port,
    int controllerPort,
    Map<String, String> serverProperties,
    Duration startupTimeout,
    Duration stopTimeout,
    List<String> jvmOptions,
    String javaCommand,
    String classpath,
    String newClusterId,
    ScramUser scramUser) {

  /** A SCRAM-SHA-256 login the broker requires of every client, itself included. */
  record ScramUser(String name, String password) {
    /** The argument of {@code kafka-storage format --add-scram}. */
    String formatArgument() {
      return "SCRAM-SHA-256=[name=" + name + ",password=" + password + "]";
    }

    /** {@code sasl.jaas.config} for this login. */
    String jaasConfig() {
      return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
          + name + "\" password=\"" + password + "\";";
    }
  }
}
