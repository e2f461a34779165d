package io.chipstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void aDurationIsWrittenInTheLargestUnitThatDividesItAndReadsBackTheSame() {
    assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMillis(1_500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofDays(1))).isEqualTo("1d");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0ms");
    assertThat(Durations.format(Duration.ofSeconds(-30))).isEqualTo("-30s");
    for (String text : new String[] {"500ms", "30s", "5m", "1h", "7d", "61s"}) {
      assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }
  }

  @Test
  void whatIsNotADurationSaysHowToWriteOne() {
    assertThatThrownBy(() -> Durations.parse("abc"))
        .hasMessage("'abc' is not a duration; write e.g. 500ms, 30s, 5m, 1h or 1d");
  }
}
