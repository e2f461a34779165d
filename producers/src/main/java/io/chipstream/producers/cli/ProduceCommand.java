package io.chipstream.producers.cli;

import picocli.CommandLine.Command;

/** {@code chipstream produce}: writes Chipstream events to any cluster. */
@Command(name = "produce", mixinStandardHelpOptions = true,
    description = "Produce events to Kafka: the chip catalog, simulated fleet requests and"
        + " telemetry, or a replayed request trace.",
    subcommands = {CatalogCommand.class, RequestsCommand.class, TelemetryCommand.class,
        TraceCommand.class})
public final class ProduceCommand implements Runnable {
  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
        "name what to produce: catalog, requests, telemetry or trace");
  }
}
