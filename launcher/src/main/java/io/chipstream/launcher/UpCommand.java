package io.chipstream.launcher;

import io.chipstream.config.Durations;
import io.chipstream.producers.cli.ConnectionOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code chipstream up}: the whole pipeline on this machine, no Docker. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Run the local stack: a real Kafka broker (KRaft, child JVM), the schema"
        + " registry, the topics, the chip catalog, the streams app and a simulated fleet;"
        + " then a live summary. Ctrl-C stops it cleanly; the next 'up' resumes.")
public final class UpCommand implements Callable<Integer> {
  private static final long REFRESH_SECONDS = 5;

  @Mixin
  UpOptions options;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Duration duration = options.duration == null ? null : Durations.parse(options.duration);
    out.println("chipstream up: data in " + options.dataDir.toAbsolutePath());
    out.flush();
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      try {
        stopped.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "chipstream-up-stop");
    // Ctrl-C and SIGTERM stop the loop below, which stops everything in order and exits 0; the
    // hook covers any other way the JVM is asked to exit.
    Signals.onStop(stop::countDown);
    Runtime.getRuntime().addShutdownHook(hook);
    try (LocalStack stack = new LocalStack(options, out)) {
      stack.start();
      out.println();
      out.println("  Kafka            " + stack.kafka);
      out.println("  Schema registry  " + stack.registryUrl);
      out.println("  App              " + stack.appUrl + "/health");
      out.println("  Dashboard        " + stack.appUrl + "/");
      out.println("  Routing policy   " + LocalStack.describe(stack.policy));
      out.println("  Try: " + consumeHint(stack.kafka, stack.registryUrl));
      out.println();
      out.flush();
      try (EfficiencyWatcher watcher = new EfficiencyWatcher(stack.kafkaConfig,
          stack.topics.efficiency())) {
        long deadline = duration == null ? Long.MAX_VALUE
            : System.nanoTime() + duration.toNanos();
        boolean terminal = System.console() != null;
        while (!stop.await(Math.min(REFRESH_SECONDS * 1000,
            Math.max(1, (deadline - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS)) {
          if (System.nanoTime() >= deadline) {
            break;
          }
          String header = LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "  requests sent "
              + (stack.fleet == null ? "-" : stack.fleet.requests()) + "  (Ctrl-C stops)";
          if (terminal) {
            out.print("\033[H\033[2J");
            out.print(screenHeader(stack.kafka, stack.registryUrl, stack.appUrl));
          }
          out.println(header);
          out.print(SummaryTable.render(watcher.snapshot()));
          out.println();
          out.flush();
        }
      }
      out.println("stopping: producers, app, registry, broker ...");
      out.flush();
    } finally {
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is what is waiting for this
      }
    }
    out.println("stopped");
    out.flush();
    return 0;
  }

  /**
   * The top of the screen on a terminal, which each refresh clears: the addresses to use and the
   * command to try, as printed once at the start.
   */
  static String screenHeader(String kafka, String registryUrl, String appUrl) {
    return "chipstream up  Kafka " + kafka + "  registry " + registryUrl + "  dashboard "
        + appUrl + "/" + System.lineSeparator() + "Try: " + consumeHint(kafka, registryUrl)
        + System.lineSeparator();
  }

  /**
   * A command that reads this stack's decisions: with its addresses when they are not the ones
   * {@code consume} uses by default, so it works as printed on other ports too.
   */
  static String consumeHint(String kafka, String registryUrl) {
    StringBuilder hint = new StringBuilder(
        "./chipstream consume routing-decisions --from-beginning --max-records 5");
    if (!samePort(kafka, ConnectionOptions.DEFAULT_BOOTSTRAP_SERVERS)) {
      hint.append(" --bootstrap-servers ").append(kafka);
    }
    if (!samePort(registryUrl, ConnectionOptions.DEFAULT_SCHEMA_REGISTRY_URL)) {
      hint.append(" --schema-registry-url ").append(registryUrl);
    }
    return hint.toString();
  }

  /** Whether two addresses ({@code host:port} or {@code scheme://host:port}) name one port. */
  private static boolean samePort(String a, String b) {
    return a.substring(a.lastIndexOf(':')).equals(b.substring(b.lastIndexOf(':')));
  }
}
