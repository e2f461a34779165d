package io.chipstream.producers.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code produce telemetry}: the simulated fleet's telemetry alone. */
@Command(name = "telemetry", mixinStandardHelpOptions = true,
    description = "Produce fleet telemetry: devices and servers reporting power, utilization"
        + " and tokens for the load of a simulated request stream (not itself sent), plus"
        + " TRAINING nodes. --rate and --count are the simulated requests'; at the end the"
        + " sources report their last, shorter interval.")
public final class TelemetryCommand implements Callable<Integer> {
  @Mixin
  ConnectionOptions connection;

  @Mixin
  RunOptions options;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try (FleetRun run = new FleetRun(connection, options, spec.commandLine().getOut())) {
      // Paced and counted by the simulated requests, as `requests --with-telemetry` is by the
      // requests it sends: counted by samples, which come in a burst per interval, an unpaced
      // load would run until the first interval ended and report its size.
      return run.run(now -> {
        run.simulateRequest(now);
        run.sendTelemetryDue(now);
        return 1;
      }, true);
    }
  }
}
