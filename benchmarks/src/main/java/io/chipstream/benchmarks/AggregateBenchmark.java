package io.chipstream.benchmarks;

import io.chipstream.avro.RoutingDecision;
import io.chipstream.schema.Examples;
import io.chipstream.streams.aggregate.Observations;
import io.chipstream.streams.avro.FamilyWindowAggregate;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one window-aggregate update, without the store: turning a decision into an
 * observation and merging it (sums, reason counts, the latency sketch) into a window that
 * already holds many.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AggregateBenchmark {
  private RoutingDecision decision;
  private FamilyWindowAggregate window;

  @Setup
  public void setUp() {
    decision = Examples.decision();
    window = Observations.empty("INFERENTIA");
    for (int i = 0; i < 10_000; i++) {
      RoutingDecision d = RoutingDecision.newBuilder(decision)
          .setEstimatedLatencyMs(50 + i % 5000).build();
      Observations.merge(window, Observations.of(d));
    }
  }

  /** One decision as an observation, merged: what the window aggregation did per request. */
  @Benchmark
  public FamilyWindowAggregate observeAndMerge() {
    return Observations.merge(window, Observations.of(decision));
  }

  /** One decision added in place: what a task's partial sum does per request. */
  @Benchmark
  public FamilyWindowAggregate addDecision() {
    return Observations.add(window, decision);
  }
}
