package io.chipstream.streams.web;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QueryParamsTest {
  private static final Instant T = Instant.parse("2026-11-29T12:00:00Z");

  @Test
  void aRangeIsForwardAndNoLongerThanItsLimitSaidAsPeopleWriteIt() {
    QueryParams.checkRange(T.minus(Duration.ofDays(7)), T, Duration.ofDays(7));
    assertThatThrownBy(() -> QueryParams.checkRange(T, T, Duration.ofDays(7)))
        .hasMessage("from 2026-11-29T12:00:00Z must be before to 2026-11-29T12:00:00Z");
    // It said PT168H before.
    assertThatThrownBy(() -> QueryParams.checkRange(T.minus(Duration.ofDays(8)), T,
        Duration.ofDays(7)))
        .hasMessage("the range 2026-11-21T12:00:00Z .. 2026-11-29T12:00:00Z is longer than 7d");
  }
}
