package io.chipstream.localkafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Waits until a starting broker serves client requests, or says clearly why it never will. */
final class BrokerReadiness {
  private static final long PORT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final int LOG_TAIL_LINES = 30;

  private BrokerReadiness() {}

  static void await(String bootstrapServers, Map<String, Object> clientProperties,
      Process process, Path logFile, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    awaitPortOpen(bootstrapServers, process, logFile, deadline, timeout);
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50);
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "chipstream-broker-readiness");
    try (Admin admin = Admin.create(config)) {
      while (true) {
        checkAlive(process, logFile);
        checkDeadline(deadline, timeout, logFile);
        try {
          // Blocks up to a second while the admin client retries: no sleep needed here.
          admin.describeCluster(new DescribeClusterOptions().timeoutMs(1000)).nodes().get();
          return;
        } catch (ExecutionException notYet) {
          // The broker's socket is open but it is not serving yet (still catching up).
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new BrokerStartException("interrupted while waiting for the broker");
        }
      }
    }
  }

  /** The TCP port opens early in start-up; checking it first avoids a flood of client warnings. */
  private static void awaitPortOpen(String bootstrapServers, Process process, Path logFile,
      long deadline, Duration timeout) {
    int colon = bootstrapServers.lastIndexOf(':');
    InetSocketAddress address = new InetSocketAddress(bootstrapServers.substring(0, colon),
        Integer.parseInt(bootstrapServers.substring(colon + 1)));
    while (true) {
      checkAlive(process, logFile);
      checkDeadline(deadline, timeout, logFile);
      try (Socket socket = new Socket()) {
        socket.connect(address, 500);
        return;
      } catch (IOException refused) {
        LockSupport.parkNanos(PORT_POLL_NANOS);
      }
    }
  }

  private static void checkAlive(Process process, Path logFile) {
    if (!process.isAlive()) {
      throw new BrokerStartException("the Kafka broker exited with code " + process.exitValue()
          + " before it was ready. Last lines of " + logFile + ":\n" + tail(logFile));
    }
  }

  private static void checkDeadline(long deadline, Duration timeout, Path logFile) {
    if (System.nanoTime() > deadline) {
      throw new BrokerStartException("the Kafka broker was not ready within " + timeout
          + ". Last lines of " + logFile + ":\n" + tail(logFile));
    }
  }

  static String tail(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES),
          lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
