package io.chipstream.producers.cli;

import io.chipstream.avro.InferenceRequest;
import io.chipstream.producers.trace.TraceCsv;
import io.chipstream.producers.trace.TraceRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code produce trace}: replays a {@code TIMESTAMP,ContextTokens,GeneratedTokens} trace with its
 * arrival pattern, each row a request from a simulated device, stamped with the replay time.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
    description = "Replay a request trace (TIMESTAMP,ContextTokens,GeneratedTokens), keeping its"
        + " arrival pattern; each row becomes a request from a simulated device.")
public final class TraceCommand implements Callable<Integer> {
  @Mixin
  ConnectionOptions connection;

  @Mixin
  RunOptions options;

  @Option(names = "--file", required = true, paramLabel = "CSV", description = "The trace")
  Path file;

  @Option(names = "--speedup", defaultValue = "1",
      description = "Replay this many times faster than recorded (default ${DEFAULT-VALUE})")
  double speedup;

  @Option(names = "--loop", description = "Start again from the first row at the end")
  boolean loop;

  @Option(names = "--skip-bad-rows", description = "Skip and count malformed rows instead of"
      + " stopping at the first")
  boolean skipBadRows;

  @Option(names = "--with-telemetry", description = "Also produce the fleet's telemetry")
  boolean withTelemetry;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (!(speedup > 0) || Double.isInfinite(speedup)) {
      throw new IllegalArgumentException("--speedup must be positive");
    }
    if (spec.commandLine().getParseResult().hasMatchedOption("--rate")) {
      throw new IllegalArgumentException("--rate does not apply to a trace, which keeps its own"
          + " arrival pattern; --speedup replays it faster");
    }
    TraceCsv.Trace trace = TraceCsv.read(file, skipBadRows);
    if (trace.skipped() > 0) {
      spec.commandLine().getOut().printf("skipped %d bad rows; the first: %s%n", trace.skipped(),
          trace.firstSkipped());
    }
    List<TraceRow> rows = trace.rows();
    Instant first = rows.get(0).arrival();
    Duration span = Duration.between(first, rows.get(rows.size() - 1).arrival());
    options.rate = 0; // the trace sets the pace
    try (FleetRun run = new FleetRun(connection, options, spec.commandLine().getOut())) {
      long startedAt = System.nanoTime();
      int[] next = {0};
      long[] lap = {0};
      return run.run(now -> {
        if (next[0] == rows.size()) {
          if (!loop) {
            return -1;
          }
          next[0] = 0;
          lap[0]++;
        }
        TraceRow row = rows.get(next[0]++);
        long offsetNanos = Duration.between(first, row.arrival())
            .plus(span.multipliedBy(lap[0])).toNanos();
        long due = startedAt + (long) (offsetNanos / speedup);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        Instant at = Instant.now();
        InferenceRequest request = run.simulator().request(at, row.contextTokens(),
            row.generatedTokens());
        request.setOrigin("trace:" + file.getFileName());
        run.send(request);
        if (withTelemetry) {
          run.sendTelemetryDue(at);
        }
        return 1;
      }, withTelemetry);
    }
  }
}
