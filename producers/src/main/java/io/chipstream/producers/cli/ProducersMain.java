package io.chipstream.producers.cli;

import picocli.CommandLine;

/** {@code java -cp ... io.chipstream.producers.cli.ProducersMain produce --help}. */
public final class ProducersMain {
  private ProducersMain() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The {@code produce} command with one-line errors instead of stack traces. */
  public static CommandLine commandLine() {
    return new CommandLine(new ProduceCommand())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("chipstream produce: " + e.getMessage());
          return 2;
        });
  }
}
