package io.chipstream.localkafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Apache Kafka broker in KRaft mode (broker and controller in one process),
 * run in a child JVM on this machine.
 *
 * <p>It is Kafka's own server ({@code kafka.Kafka}) after {@code kafka-storage format}, not a
 * mock. Ports are free ones unless given; a data folder that is not given is a fresh temporary one,
 * removed by {@link #close()}. A given data folder is kept, with its ports, so a second start on
 * it resumes the same cluster. The child exits by itself when this JVM dies, and a temporary folder
 * left by a killed run is swept on the next start.
 *
 * <pre>{@code
 * try (LocalKafkaBroker broker = LocalKafkaBroker.builder().build()) {
 *   broker.start();
 *   String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class LocalKafkaBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalKafkaBroker.class);

  private final BrokerSettings settings;
  private final Path dataDir;
  private final boolean temporary;
  private BrokerLayout layout;
  private FileChannel lockChannel;
  private FileLock lock;
  private Process process;
  private OutputStream parentPipe;
  private Thread shutdownHook;

  private LocalKafkaBroker(BrokerSettings settings) {
    this.settings = settings;
    this.temporary = settings.dataDir() == null;
    this.dataDir = temporary ? TempDirs.create() : settings.dataDir().toAbsolutePath();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the broker and returns once it answers client requests.
   *
   * @throws BrokerStartException if it is not ready within the startup timeout, its process
   *     exits, a port is taken, or the data folder is held by another broker
   */
  public synchronized LocalKafkaBroker start() {
    if (isRunning()) {
      return this;
    }
    long startedAt = System.nanoTime();
    acquireDataDirLock();
    try {
      layout = BrokerLayout.prepare(dataDir, settings);
      launch();
      BrokerReadiness.await(layout.bootstrapServers(), clientProperties(), process,
          layout.logFile(), settings.startupTimeout());
    } catch (RuntimeException e) {
      stopProcess();
      releaseDataDirLock();
      throw e;
    }
    log.info("Kafka broker ready at {} in {} ms (pid {}, data {})", bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), process.pid(), dataDir);
    return this;
  }

  /** Stops the broker (SIGTERM, then SIGKILL after the stop timeout) and keeps its data. */
  public synchronized void stop() {
    stopProcess();
    releaseDataDirLock();
  }

  /** Stops the broker and, if its data folder is temporary, deletes it. */
  @Override
  public synchronized void close() {
    stop();
    if (temporary) {
      TempDirs.delete(dataDir);
    }
  }

  /** {@code host:port} for clients; valid once started, and kept across a stop and start. */
  public synchronized String bootstrapServers() {
    if (layout == null) {
      throw new IllegalStateException("broker not started");
    }
    return layout.bootstrapServers();
  }

  /**
   * What a client needs besides {@code bootstrap.servers}: the SASL settings when the broker
   * requires a SCRAM login, else nothing.
   */
  public Map<String, Object> clientProperties() {
    if (settings.scramUser() == null) {
      return Map.of();
    }
    return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-256",
        "sasl.jaas.config", settings.scramUser().jaasConfig());
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The broker process id, or -1 when it is not running. */
  public synchronized long pid() {
    return isRunning() ? process.pid() : -1;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The file the broker's own log and its standard output go to. */
  public Path logFile() {
    return dataDir.resolve(BrokerLayout.LOG_FILE);
  }

  private void launch() {
    List<String> command = new ArrayList<>();
    command.add(settings.javaCommand());
    command.addAll(settings.jvmOptions());
    command.add("-Dlog4j2.configurationFile=" + layout.log4jConfig());
    command.add("-Dkafka.logs.dir=" + dataDir);
    // The classpath can be long (a test run's whole dependency set): pass it in an @argfile.
    command.add(layout.classpathArgument(settings.classpath()));
    command.add(BrokerChildMain.class.getName());
    command.add(layout.serverProperties().toString());
    command.add(layout.clusterId());
    command.add(layout.kraftLogDir().toString());
    if (settings.scramUser() != null) {
      command.add(settings.scramUser().formatArgument());
    }

    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dataDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.logFile().toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new BrokerStartException("could not start " + settings.javaCommand(), e);
    }
    parentPipe = process.getOutputStream();
    layout.writePid(process.pid());
    shutdownHook = new Thread(this::stopProcess, "kafka-broker-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  private synchronized void stopProcess() {
    if (process == null) {
      return;
    }
    Process p = process;
    process = null;
    if (p.isAlive()) {
      long startedAt = System.nanoTime();
      p.destroy(); // SIGTERM: Kafka's shutdown hook runs a controlled shutdown.
      if (!waitFor(p, settings.stopTimeout())) {
        log.warn("Kafka broker pid {} did not stop within {}; killing it", p.pid(),
            settings.stopTimeout());
        p.destroyForcibly();
        waitFor(p, Duration.ofSeconds(10));
      }
      log.info("Kafka broker pid {} stopped in {} ms", p.pid(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
    }
    closeQuietly(parentPipe);
    parentPipe = null;
    if (shutdownHook != null && !Thread.currentThread().equals(shutdownHook)) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // Already in shutdown: the hook is running or has run.
      }
    }
    shutdownHook = null;
  }

  private static boolean waitFor(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void acquireDataDirLock() {
    try {
      Files.createDirectories(dataDir);
      lockChannel = FileChannel.open(dataDir.resolve("broker.lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock data folder " + dataDir, e);
    }
    if (lock == null) {
      closeQuietly(lockChannel);
      lockChannel = null;
      throw new BrokerStartException("data folder " + dataDir
          + " is in use by another running broker; choose another data folder");
    }
  }

  private void releaseDataDirLock() {
    try {
      if (lock != null) {
        lock.release();
      }
    } catch (IOException e) {
      log.debug("releasing the data folder lock failed", e);
    }
    lock = null;
    closeQuietly(lockChannel);
    lockChannel = null;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception ignored) {
      // Nothing to do: the resource is being discarded.
    }
  }

  /** How to run the broker. Everything has a default. */
  public static final class Builder {
    private Path dataDir;
    private String host = "127.0.0.1";
    private int port;
    private int controllerPort;
    private final Map<String, String> serverProperties = new LinkedHashMap<>();
    private Duration startupTimeout = Duration.ofSeconds(60);
    private Duration stopTimeout = Duration.ofSeconds(30);
    private List<String> jvmOptions = List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC",
        "-Djava.awt.headless=true");
    private String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java")
        .toString();
    private String classpath = System.getProperty("java.class.path");
    private BrokerSettings.ScramUser scramUser;

    private Builder() {}

    /**
     * Requires every client to log in with SASL/SCRAM-SHA-256 as {@code name}; the credential is
     * created when the storage is first formatted. {@link #clientProperties()} gives the matching
     * client settings.
     */
    public Builder scramUser(String name, String password) {
      if (name.isBlank() || password.isBlank()) {
        throw new IllegalArgumentException("a SCRAM user needs a name and a password");
      }
      if ((name + password).matches(".*[\\[\\],=\"\\\\].*")) {
        throw new IllegalArgumentException(
            "a SCRAM name or password may not hold [ ] , = \" or \\");
      }
      this.scramUser = new BrokerSettings.ScramUser(name, password);
      return this;
    }

    /** A data folder to keep; by default a temporary one is made and removed on close. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** The address to listen on; 127.0.0.1 by default, so nothing is exposed off the machine. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host);
      return this;
    }

    /** The client port; 0 (the default) takes a free one, or the one a kept data folder used. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The KRaft controller port; 0 (the default) as for {@link #port(int)}. */
    public Builder controllerPort(int controllerPort) {
      this.controllerPort = controllerPort;
      return this;
    }

    /** A broker setting added to, or overriding, the single-node defaults. */
    public Builder serverProperty(String key, String value) {
      serverProperties.put(key, value);
      return this;
    }

    public Builder startupTimeout(Duration startupTimeout) {
      this.startupTimeout = startupTimeout;
      return this;
    }

    public Builder stopTimeout(Duration stopTimeout) {
      this.stopTimeout = stopTimeout;
      return this;
    }

    public Builder jvmOptions(List<String> jvmOptions) {
      this.jvmOptions = List.copyOf(jvmOptions);
      return this;
    }

    /** The classpath of the child JVM; by default this JVM's, which must hold Kafka's server. */
    public Builder classpath(String classpath) {
      this.classpath = classpath;
      return this;
    }

    public LocalKafkaBroker build() {
      TempDirs.sweepAbandoned();
      String clusterId = Uuid.randomUuid().toString();
      return new LocalKafkaBroker(new BrokerSettings(dataDir, host, port, controllerPort,
          Map.copyOf(serverProperties), startupTimeout, stopTimeout, jvmOptions, javaCommand,
          classpath, clusterId, scramUser));
    }
  }
}
