package io.chipstream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A second test class gets the same broker, not a new one. */
@WithKafka
class SecondClassIT {

  @Test
  void reusesTheRunsBroker(TestKafka kafka) {
    assertThat(kafka.bootstrapServers()).isNotBlank();
    assertThat(KafkaBrokerExtension.SharedBroker.STARTS).hasValue(1);
  }
}
