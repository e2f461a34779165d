package io.chipstream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KafkaVersionTest {
  @Test
  void theContainerImageIsPinnedToTheClientVersion() {
    assertThat(KafkaVersion.client()).isEqualTo("4.4.0");
  }
}
