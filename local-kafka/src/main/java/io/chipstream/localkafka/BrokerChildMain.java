package io.chipstream.localkafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kafka.tools.StorageTool;

/**
 * Entry point of the child broker JVM: formats the KRaft storage if it is new, then runs Apache
 * Kafka's own server, {@code kafka.Kafka}.
 *
 * <p>The parent keeps this process's standard input open for as long as it lives. When the parent
 * dies, even by SIGKILL, the pipe closes and this JVM exits through Kafka's shutdown hook, so no
 * broker outlives the test run or the {@code chipstream up} that started it.
 */
public final class BrokerChildMain {

  private BrokerChildMain() {}

  /**
   * Arguments: the server properties file, the cluster id, the log directory, and any SCRAM
   * credentials to create when the storage is formatted.
   *
   * @param args {@code <server.properties> <cluster-id> <log-dir> [<scram-credential>...]}
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      throw new IllegalArgumentException("usage: BrokerChildMain <server.properties>"
          + " <cluster-id> <log-dir> [<scram-credential>...]");
    }
    Path properties = Path.of(args[0]);
    String clusterId = args[1];
    Path logDir = Path.of(args[2]);
    exitWhenParentDies(System.in);
    ignoreInterrupt();

    if (!Files.exists(logDir.resolve("meta.properties"))) {
      PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
      List<String> format = new ArrayList<>(List.of("format", "-t", clusterId, "-c",
          properties.toString()));
      for (int i = 3; i < args.length; i++) {
        format.add("--add-scram");
        format.add(args[i]);
      }
      int rc = StorageTool.execute(format.toArray(String[]::new), out);
      if (rc != 0) {
        System.err.println("kafka-storage format failed with exit code " + rc);
        System.exit(rc);
      }
    }
    kafka.Kafka.main(new String[] {properties.toString()});
  }

  /**
   * Ctrl-C in a terminal signals the whole foreground process group, this child too; the parent
   * decides when the broker stops (SIGTERM, after the clients using it), so SIGINT is ignored.
   * By reflection: {@code sun.misc.Signal} is JDK-internal API.
   */
  private static void ignoreInterrupt() {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object ignore = handler.getField("SIG_IGN").get(null);
      signal.getMethod("handle", signal, handler)
          .invoke(null, signal.getConstructor(String.class).newInstance("INT"), ignore);
    } catch (ReflectiveOperationException | RuntimeException e) {
      System.err.println("cannot ignore SIGINT: " + e);
    }
  }

  private static void exitWhenParentDies(InputStream parentPipe) {
    Thread watcher = new Thread(() -> {
      try {
        while (parentPipe.read() >= 0) {
          // The parent never writes; any byte is ignored.
        }
      } catch (IOException closed) {
        // A broken pipe means the same as end of stream: the parent is gone.
      }
      System.err.println("parent process gone: shutting the broker down");
      System.exit(0);
    }, "parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }
}
