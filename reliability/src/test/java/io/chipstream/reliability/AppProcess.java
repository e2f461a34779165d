package io.chipstream.reliability;

import static org.awaitility.Awaitility.await;

import io.chipstream.localkafka.ClasspathArgFile;
import io.chipstream.localkafka.PortAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Chipstream Streams app in its own JVM, so a test can kill it (SIGKILL), stop it (SIGTERM)
 * and start it again on the same state folder, as an operator or a crash would. Its output goes
 * to a log file that failures print.
 */
final class AppProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final List<String> arguments;
  private final Path log;
  private final int webPort;
  private Process process;
  private int starts;

  private AppProcess(String name, List<String> arguments, Path log, int webPort) {
    this.name = name;
    this.arguments = arguments;
    this.log = log;
    this.webPort = webPort;
  }

  /**
   * An app (not yet started) run with {@code arguments} of {@code chipstream streams}, plus its
   * own web port. Its log is kept after the test, in {@code target/reliability-logs}.
   */
  static AppProcess create(String name, List<String> arguments) {
    int port = PortAllocator.freePort("127.0.0.1");
    List<String> all = new ArrayList<>(arguments);
    all.add("--app-port=" + port);
    Path logs = Path.of("target", "reliability-logs");
    try {
      Files.createDirectories(logs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new AppProcess(name, all, logs.resolve(name + "-"
        + java.time.LocalTime.now().toString().replace(':', '-') + ".log").toAbsolutePath(),
        port);
  }

  /** Starts (or starts again) the JVM; returns at once. */
  AppProcess start() {
    if (isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    try {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
      command.add(ClasspathArgFile.write(log.resolveSibling(name + ".classpath"),
          System.getProperty("java.class.path")));
      command.add(ChildApp.class.getName());
      command.addAll(arguments);
      Files.writeString(log, "=== start " + (++starts) + ": " + String.join(" ", arguments)
          + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
    return this;
  }

  /** Waits until {@code /health} answers 200 (Kafka Streams RUNNING). */
  AppProcess awaitRunning(Duration timeout) {
    try {
      await(name + " RUNNING").atMost(timeout).pollInterval(Duration.ofMillis(250))
          .until(() -> {
            if (!isAlive()) {
              throw new AssertionError(name + " exited with " + process.exitValue() + ":\n"
                  + tail());
            }
            try {
              return get("/health").statusCode() == 200;
            } catch (UncheckedIOException notListeningYet) {
              return false;
            }
          });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(name + " not RUNNING within " + timeout + ":\n" + tail(), e);
    }
    return this;
  }

  /** SIGKILL: no shutdown hook, no commit, no flush; waits until the process is gone. */
  void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /**
   * SIGTERM, as a service manager stops the app; returns how long it took to exit.
   *
   * @throws AssertionError if it has not exited within {@code timeout}
   */
  Duration terminate(Duration timeout) {
    long startedAt = System.nanoTime();
    process.destroy();
    if (!waitFor(timeout)) {
      throw new AssertionError(name + " did not exit within " + timeout + " of SIGTERM:\n"
          + tail());
    }
    return Duration.ofNanos(System.nanoTime() - startedAt);
  }

  /** Waits for the process to exit by itself; returns its exit code. */
  int awaitExit(Duration timeout) {
    if (!waitFor(timeout)) {
      throw new AssertionError(name + " still running after " + timeout + ":\n" + tail());
    }
    return process.exitValue();
  }

  /** The value of {@code --name=value} in this app's arguments. */
  String argument(String name) {
    return arguments.stream().filter(a -> a.startsWith(name + "="))
        .map(a -> a.substring(name.length() + 1)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no " + name));
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  String webUrl() {
    return "http://127.0.0.1:" + webPort;
  }

  HttpResponse<String> get(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(webUrl() + path))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Requests the app's window store holds in the windows starting in {@code [from, to)}
   * ({@code /api/decisions/summary}); -1 if it does not answer with a count.
   */
  long windowRequests(Instant from, Instant to) {
    java.util.regex.Matcher m = REQUESTS.matcher(
        get("/api/decisions/summary?from=" + from + "&to=" + to).body());
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * Waits (up to a minute) until the app's window store holds at least {@code requests} requests
   * in the windows starting in {@code [from, to)}; returns how many it holds then, for the
   * caller to check there are not more.
   */
  long awaitWindowRequests(Instant from, Instant to, long requests) {
    long[] seen = {-1};
    await("windows from " + from + " hold " + requests + " requests")
        .atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
          seen[0] = windowRequests(from, to);
          return seen[0] >= requests;
        });
    return seen[0];
  }

  private static final java.util.regex.Pattern REQUESTS =
      java.util.regex.Pattern.compile("\"requests\"\\s*:\\s*(\\d+)");

  /**
   * The status of a GET of {@code target} sent as it is, over a plain socket: for targets that
   * Java's HTTP client refuses to send (malformed escapes).
   */
  int rawGetStatus(String target) {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", webPort)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(
          socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
      return Integer.parseInt(statusLine.split(" ")[1]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The whole log of every start of this app. */
  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** The last 60 lines of the log, for failure messages. */
  String tail() {
    List<String> lines = log().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  @Override
  public void close() {
    if (isAlive()) {
      process.destroyForcibly();
      waitFor(Duration.ofSeconds(30));
    }
  }

  private boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
