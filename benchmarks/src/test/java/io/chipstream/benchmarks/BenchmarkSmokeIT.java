package io.chipstream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Keeps the benchmarks working: every JMH benchmark once, briefly, in this JVM, and the
 * end-to-end harness on a few thousand records. Numbers from here mean nothing; the real runs
 * are in BENCHMARKS.md.
 */
class BenchmarkSmokeIT {

  @Test
  void everyMicroBenchmarkRuns() throws Exception {
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include("io.chipstream.benchmarks.*Benchmark")
        .exclude("EndToEnd")
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(300))
        .forks(0)
        .build()).run();
    assertThat(results).hasSizeGreaterThanOrEqualTo(7);
    assertThat(results).allSatisfy(r ->
        assertThat(r.getPrimaryResult().getScore()).isPositive());
  }

  @Test
  void theStateGrowthHarnessRuns() throws Exception {
    String report = StateGrowth.report(new String[] {"--smoke"});
    // 3 minutes of event time, 1-minute windows: one entry per family and window.
    assertThat(report).contains("| 60 s | 1 | 1 | 3 |").contains("| 60 s | 1 | 7 | 21 |");
  }

  @Test
  void theResidentMemoryHarnessRuns() throws Exception {
    String report = ResidentMemory.report(new String[] {"--smoke"});
    assertThat(report).containsPattern("\\| 1 \\| [1-9][\\d,]* \\| [1-9][\\d,]* \\|");
  }

  @Test
  void theEndToEndHarnessRuns() throws Exception {
    String report = EndToEndBenchmark.report(new String[] {"--smoke"});
    assertThat(report).contains("pass-through").contains("exactly-once")
        .containsPattern("\\| 500 \\| 1,500 \\| \\d+ \\|")
        // The stream threads' CPU per record was measured (not 0.00) for the full topology, and
        // its steady state's (n/a only if a run this short was over before a tenth was seen).
        .containsPattern("\\| \\(b\\) full topology, exactly-once \\| [\\d,]+ \\| \\d+\\.\\d\\d"
            + " \\| (?!0\\.00)\\d+\\.\\d\\d µs \\| (\\d+\\.\\d\\d µs|n/a)"
            + " \\| (\\d+\\.\\d\\d µs|n/a) \\|");
    // The Avro pass-through ran and wrote every record (its rate would be 0 or missing if not).
    assertThat(report).containsPattern("\\| \\(a2\\) Avro pass-through[^|]* \\| [1-9][\\d,]* \\| "
        + "\\d+\\.\\d\\d \\| (?!0\\.00)\\d+\\.\\d\\d µs \\|");
    // The fixed decisions and the request path alone, likewise.
    assertThat(report).containsPattern("\\| \\(a3\\) a fixed decision per request[^|]* \\|"
        + " [1-9][\\d,]* \\| \\d+\\.\\d\\d \\| (?!0\\.00)\\d+\\.\\d\\d µs \\|");
    assertThat(report).containsPattern("\\| \\(a4\\) the full topology's request path[^|]* \\|"
        + " [1-9][\\d,]* \\| \\d+\\.\\d\\d \\| (?!0\\.00)\\d+\\.\\d\\d µs \\|");
    // And the pass-through at its fastest setting.
    assertThat(report).containsPattern("\\| \\(a\\) pass-through with max\\.task\\.idle\\.ms=-1"
        + "[^|]* \\| [1-9][\\d,]* \\| \\d+\\.\\d\\d \\| (?!0\\.00)\\d+\\.\\d\\d µs \\|");
  }
}
