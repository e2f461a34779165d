package io.chipstream.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class BrokerSelectionTest {
  private static final BooleanSupplier DOCKER = () -> true;
  private static final BooleanSupplier NO_DOCKER = () -> false;

  @Test
  void autoUsesTestcontainersWhereDockerAnswers() {
    assertThat(BrokerSelection.select("auto", DOCKER).kind()).isEqualTo(BrokerKind.TESTCONTAINERS);
  }

  @Test
  void autoFallsBackToTheLocalBrokerWithoutDocker() {
    BrokerSelection selection = BrokerSelection.select("auto", NO_DOCKER);
    assertThat(selection.kind()).isEqualTo(BrokerKind.LOCAL_PROCESS);
    assertThat(selection.reason()).contains("no Docker");
  }

  @Test
  void localIsChosenWithoutAskingDocker() {
    AtomicInteger asked = new AtomicInteger();
    BrokerSelection selection = BrokerSelection.select(" LOCAL ", () -> {
      asked.incrementAndGet();
      return true;
    });
    assertThat(selection.kind()).isEqualTo(BrokerKind.LOCAL_PROCESS);
    assertThat(asked).hasValue(0);
  }

  @Test
  void testcontainersOrDockerIsHonouredWhereDockerAnswers() {
    assertThat(BrokerSelection.select("testcontainers", DOCKER).kind())
        .isEqualTo(BrokerKind.TESTCONTAINERS);
    assertThat(BrokerSelection.select("docker", DOCKER).kind())
        .isEqualTo(BrokerKind.TESTCONTAINERS);
  }

  @Test
  void forcingTestcontainersWithoutDockerIsAClearError() {
    assertThatThrownBy(() -> BrokerSelection.select("testcontainers", NO_DOCKER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no Docker engine answers");
  }

  @Test
  void anUnknownValueIsRejectedNamingTheChoices() {
    assertThatThrownBy(() -> BrokerSelection.select("podman", DOCKER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'podman'")
        .hasMessageContaining("auto, testcontainers or local");
  }
}
