package io.chipstream.streams.app;

import picocli.CommandLine;

/** {@code java -cp ... io.chipstream.streams.app.StreamsMain --help}. */
public final class StreamsMain {
  private StreamsMain() {}

  public static void main(String[] args) {
    CommandLine commandLine = new CommandLine(new StreamsCommand())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("chipstream streams: " + e.getMessage());
          return 2;
        });
    System.exit(commandLine.execute(args));
  }
}
