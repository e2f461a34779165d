package io.chipstream.producers.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code produce requests}: the simulated fleet's inference requests. */
@Command(name = "requests", mixinStandardHelpOptions = true,
    description = "Produce inference requests from a simulated fleet: device chips and features"
        + " as mixed, sizes drawn from a real LLM trace, device state that evolves.")
public final class RequestsCommand implements Callable<Integer> {
  @Mixin
  ConnectionOptions connection;

  @Mixin
  RunOptions options;

  @Option(names = "--with-telemetry", description = "Also produce the fleet's telemetry, which"
      + " agrees with the requests sent")
  boolean withTelemetry;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try (FleetRun run = new FleetRun(connection, options, spec.commandLine().getOut())) {
      return run.run(now -> {
        run.send(run.simulator().nextRequest(now));
        if (withTelemetry) {
          run.sendTelemetryDue(now);
        }
        return 1;
      }, withTelemetry);
    }
  }
}
