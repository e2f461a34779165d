package io.chipstream.producers.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code produce telemetry}: the simulated fleet's telemetry alone. */
@Command(name = "telemetry", mixinStandardHelpOptions = true,
    description = "Produce fleet telemetry: devices and servers reporting power, utilization"
        + " and tokens for the load of a simulated request stream (not itself sent), plus"
        + " TRAINING nodes. --rate is the simulated request rate.")
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
      return run.run(now -> {
        run.simulator().nextRequest(now); // the load the telemetry reports
        long before = run.telemetry.get();
        run.sendTelemetryDue(now);
        return (int) (run.telemetry.get() - before);
      });
    }
  }
}
