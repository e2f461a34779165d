package io.chipstream.launcher;

import io.chipstream.producers.cli.ProduceCommand;
import io.chipstream.streams.app.StreamsCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code chipstream}: the one command line of the project. */
@Command(name = "chipstream", mixinStandardHelpOptions = true, version = "chipstream 0.1.0",
    description = "An event-streaming pipeline for a hybrid AI inference fleet.",
    subcommands = {UpCommand.class, ProduceCommand.class, ConsumeCommand.class,
        StreamsCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    // Quiet logs by default: the commands print what a person needs. --verbose on `up` or
    // -Dchipstream.log.level=info brings them back. Must be set before Log4j starts.
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    if (System.getProperty("chipstream.log.level") == null) {
      System.setProperty("chipstream.log.level", verbose ? "info" : "warn");
    }
    if (System.getProperty("chipstream.log.root") == null) {
      System.setProperty("chipstream.log.root", verbose ? "warn" : "error");
    }
    CommandLine cli = commandLine();
    cli.setOut(reportingStdoutErrors(cli.getOut()));
    System.exit(cli.execute(args));
  }

  /**
   * {@code out}, whose {@link PrintWriter#checkError} also says when standard output failed. The
   * writer picocli makes over {@code System.out} never does: {@code System.out} keeps its errors
   * (a closed pipe, as in {@code consume ... | head}) to itself.
   */
  static PrintWriter reportingStdoutErrors(PrintWriter out) {
    return new PrintWriter(out, true) {
      @Override
      public boolean checkError() {
        return super.checkError() || System.out.checkError();
      }
    };
  }

  /** How Kafka's clients begin the error of a constructor that failed. */
  private static final String KAFKA_CLIENT_NOT_CREATED = "Failed to create new ";

  /** The command line with one-line errors instead of stack traces. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("chipstream: " + rootMessage(e));
          return 2;
        });
  }

  static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && (cause.getMessage() == null
        || cause.getMessage().startsWith(KAFKA_CLIENT_NOT_CREATED))) {
      if (cause.getMessage() != null && cause.getCause().getMessage() != null) {
        // Kafka's clients wrap the reason (a bad setting, say) in this; the reason is the news.
        return cause.getMessage() + ": " + cause.getCause().getMessage();
      }
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
