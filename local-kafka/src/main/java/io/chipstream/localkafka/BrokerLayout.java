package io.chipstream.localkafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The files of one broker's data folder: its server properties (which also remember its ports and
 * cluster id, so a restart on the same folder is the same cluster), logging set-up, pid and log.
 */
final class BrokerLayout {
  static final String LOG_FILE = "broker.log";
  private static final String SERVER_PROPERTIES = "server.properties";
  private static final String CLUSTER_ID = "cluster.id";
  private static final String PORTS = "ports.properties";

  private final Path dataDir;
  private final String host;
  private final int port;
  private final String clusterId;

  private BrokerLayout(Path dataDir, String host, int port, String clusterId) {
    this.dataDir = dataDir;
    this.host = host;
    this.port = port;
    this.clusterId = clusterId;
  }

  /** Chooses ports, checks they are free, and writes the broker's configuration files. */
  static BrokerLayout prepare(Path dataDir, BrokerSettings settings) {
    try {
      Files.createDirectories(dataDir);
      Properties previous = load(dataDir.resolve(PORTS));
      Path clusterIdFile = dataDir.resolve(CLUSTER_ID);
      String clusterId = Files.exists(clusterIdFile)
          ? Files.readString(clusterIdFile, StandardCharsets.UTF_8).trim()
          : settings.newClusterId();
      int port = choosePort(settings.host(), settings.port(), previous, "port", 0);
      int controllerPort = choosePort(settings.host(), settings.controllerPort(), previous,
          "controller.port", port);
      if (port == controllerPort) {
        throw new BrokerStartException("the client and controller ports must differ: " + port);
      }

      Map<String, String> config = serverConfig(dataDir, settings.host(), port, controllerPort);
      if (settings.scramUser() != null) {
        config.putAll(scramConfig(settings.host(), port, controllerPort, settings.scramUser()));
      }
      config.putAll(settings.serverProperties());
      write(dataDir.resolve(SERVER_PROPERTIES), config,
          "Written by Chipstream's LocalKafkaBroker on each start.");
      write(dataDir.resolve(PORTS),
          Map.of("port", Integer.toString(port), "controller.port",
              Integer.toString(controllerPort)),
          "Ports this data folder's broker listens on; reused by the next start.");
      Files.writeString(clusterIdFile, clusterId, StandardCharsets.UTF_8);
      Files.writeString(dataDir.resolve("log4j2.properties"), log4jConfig(dataDir),
          StandardCharsets.UTF_8);
      return new BrokerLayout(dataDir, settings.host(), port, clusterId);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare broker data folder " + dataDir, e);
    }
  }

  /** The requested port, else the one this folder used last, else a free one but {@code other}. */
  private static int choosePort(String host, int requested, Properties previous, String key,
      int other) {
    int port = requested;
    if (port == 0 && previous.containsKey(key)) {
      port = Integer.parseInt(previous.getProperty(key));
    }
    if (port == 0) {
      return PortAllocator.freePortOtherThan(host, other);
    }
    if (!PortAllocator.isFree(host, port)) {
      throw new BrokerStartException("port " + port + " on " + host
          + " is already in use; choose another port (0 picks a free one)");
    }
    return port;
  }

  /** Single-node KRaft: one process is both broker and controller; replication factors of 1. */
  private static Map<String, String> serverConfig(Path dataDir, String host, int port,
      int controllerPort) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("process.roles", "broker,controller");
    c.put("node.id", "1");
    c.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
    c.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":"
        + controllerPort);
    c.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    c.put("controller.listener.names", "CONTROLLER");
    c.put("inter.broker.listener.name", "PLAINTEXT");
    c.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    c.put("log.dirs", dataDir.resolve("kraft-logs").toString());
    c.put("num.partitions", "1");
    c.put("default.replication.factor", "1");
    c.put("min.insync.replicas", "1");
    c.put("offsets.topic.replication.factor", "1");
    // Fewer internal partitions than a production cluster: they are created lazily, and 50
    // of each slow the first consumer group and the first transaction on a small machine.
    c.put("offsets.topic.num.partitions", "5");
    c.put("transaction.state.log.num.partitions", "5");
    c.put("transaction.state.log.replication.factor", "1");
    c.put("transaction.state.log.min.isr", "1");
    c.put("share.coordinator.state.topic.replication.factor", "1");
    c.put("share.coordinator.state.topic.min.isr", "1");
    c.put("group.initial.rebalance.delay.ms", "0");
    return c;
  }

  /**
   * The client listener requires SASL/SCRAM-SHA-256 (over plaintext: the test broker has no
   * certificates); the broker logs in to itself with the same user. The controller listener
   * stays internal and plaintext.
   */
  private static Map<String, String> scramConfig(String host, int port, int controllerPort,
      BrokerSettings.ScramUser user) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("listeners", "SASL_PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":"
        + controllerPort);
    c.put("advertised.listeners", "SASL_PLAINTEXT://" + host + ":" + port);
    c.put("inter.broker.listener.name", "SASL_PLAINTEXT");
    c.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
    c.put("sasl.enabled.mechanisms", "SCRAM-SHA-256");
    c.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-256");
    c.put("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config", user.jaasConfig());
    return c;
  }

  private static String log4jConfig(Path dataDir) {
    String file = dataDir.resolve(LOG_FILE).toString().replace("\\", "\\\\");
    return String.join("\n",
        "status = warn",
        "appender.file.type = File",
        "appender.file.name = file",
        "appender.file.fileName = " + file,
        "appender.file.append = true",
        "appender.file.layout.type = PatternLayout",
        "appender.file.layout.pattern = [%d] %p %m (%c)%n",
        "rootLogger.level = WARN",
        "rootLogger.appenderRef.file.ref = file",
        "logger.server.name = kafka.server.KafkaRaftServer",
        "logger.server.level = INFO",
        "logger.kafka.name = kafka.Kafka$",
        "logger.kafka.level = INFO",
        "");
  }

  String bootstrapServers() {
    return host + ":" + port;
  }

  String clusterId() {
    return clusterId;
  }

  Path serverProperties() {
    return dataDir.resolve(SERVER_PROPERTIES);
  }

  Path kraftLogDir() {
    return dataDir.resolve("kraft-logs");
  }

  Path log4jConfig() {
    return dataDir.resolve("log4j2.properties");
  }

  Path logFile() {
    return dataDir.resolve(LOG_FILE);
  }

  void writePid(long pid) {
    try {
      Files.writeString(dataDir.resolve(TempDirs.BROKER_PID), Long.toString(pid),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code @file} argument that gives the child JVM {@code classpath}. */
  String classpathArgument(String classpath) {
    return ClasspathArgFile.write(dataDir.resolve("classpath.args"), classpath);
  }

  private static Properties load(Path file) throws IOException {
    Properties properties = new Properties();
    if (Files.exists(file)) {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
    }
    return properties;
  }

  private static void write(Path file, Map<String, String> config, String comment)
      throws IOException {
    Properties properties = new Properties();
    properties.putAll(config);
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      properties.store(writer, comment);
    }
  }
}
