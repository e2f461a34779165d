package io.chipstream.producers.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TraceCsvTest {
  private static TraceCsv.Trace read(String text, boolean skip) throws Exception {
    return TraceCsv.read(new BufferedReader(new StringReader(text)), "t.csv", skip);
  }

  @Test
  void readsTheAzureFormat() throws Exception {
    TraceCsv.Trace trace = read("TIMESTAMP,ContextTokens,GeneratedTokens\n"
        + "2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.9951690,396,109\n", false);
    assertThat(trace.rows()).hasSize(2);
    assertThat(trace.rows().get(0).arrival()).isEqualTo(Instant.parse("2023-11-16T18:15:46.68059Z"));
    assertThat(trace.rows().get(1).contextTokens()).isEqualTo(396);
    assertThat(trace.rows().get(1).line()).isEqualTo(3);
  }

  @Test
  void theBundledTraceIsWhole() {
    TraceCsv.Trace trace = TraceCsv.builtIn();
    assertThat(trace.rows()).hasSize(19_366);
    assertThat(trace.skipped()).isZero();
  }

  @Test
  void aBadRowStopsTheReadWithItsLineNumber() {
    String text = "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,374,44\n"
        + "2023-11-16 18:15:47.00,lots,44\n";
    assertThatThrownBy(() -> read(text, false))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageStartingWith("t.csv line 3: ContextTokens 'lots' is not a whole number")
        .hasMessageContaining("--skip-bad-rows");
  }

  @Test
  void badRowsCanBeSkippedAndCounted() throws Exception {
    String text = "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,374,44\n"
        + "yesterday,1,2\n2023-11-16 18:15:48.00,5,-3\n2023-11-16 18:15:49.00,7,8\n1,2\n";
    TraceCsv.Trace trace = read(text, true);
    assertThat(trace.rows()).extracting(TraceRow::contextTokens).containsExactly(374, 7);
    assertThat(trace.skipped()).isEqualTo(3);
    assertThat(trace.firstSkipped()).startsWith("t.csv line 3: TIMESTAMP 'yesterday'");
  }

  @Test
  void aWrongHeaderIsRejected() {
    assertThatThrownBy(() -> read("time,prompt,output\n", false))
        .hasMessageStartingWith("t.csv line 1: expected the header");
  }
}
