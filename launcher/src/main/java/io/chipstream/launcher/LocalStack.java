package io.chipstream.launcher;

import io.chipstream.catalog.ChipCatalogCsv;
import io.chipstream.classify.RoutingPolicy;
import io.chipstream.localkafka.LocalKafkaBroker;
import io.chipstream.localkafka.PortAllocator;
import io.chipstream.producers.catalog.CatalogLoader;
import io.chipstream.registry.SchemaRegistryServer;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.TopicAdmin;
import io.chipstream.schema.topics.TopicNames;
import io.chipstream.streams.EmitMode;
import io.chipstream.streams.TopologyConfig;
import io.chipstream.streams.app.ChipstreamStreams;
import io.chipstream.config.Durations;
import io.chipstream.streams.web.AppServer;
import io.chipstream.streams.app.StreamsSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The whole pipeline on this machine: a real Kafka broker, the registry, the topics, the
 * catalog, the Streams app with its web port, and the simulated fleet, each started once the one
 * before is ready, and stopped in reverse order. All state lives in one data folder, so a second
 * start resumes where the first stopped.
 */
final class LocalStack implements AutoCloseable {
  private static final String HOST = "127.0.0.1";

  private final UpOptions options;
  private final PrintWriter out;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private FileChannel lockChannel;
  private FileLock lock;
  String kafka;
  String registryUrl;
  String appUrl;
  ChipstreamTopics topics;
  Map<String, Object> kafkaConfig;
  FleetProducer fleet;
  RoutingPolicy policy;
  ChipstreamStreams app;

  LocalStack(UpOptions options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  LocalStack start() {
    // A bad flag or policy file stops up before anything is made.
    options.check();
    policy = options.policy();
    TopologyConfig topology = topology().withPolicy(policy);
    Path dataDir = options.dataDir.toAbsolutePath();
    lockDataDir(dataDir);
    if (options.fresh) {
      deleteContents(dataDir);
    }
    checkPort(options.kafkaPort, "--kafka-port");
    checkPort(options.registryPort, "--registry-port");
    checkPort(options.appPort, "--app-port");

    step("Kafka broker (KRaft)");
    LocalKafkaBroker broker = LocalKafkaBroker.builder().dataDir(dataDir.resolve("kafka"))
        .host(HOST).port(options.kafkaPort).build();
    started.push(broker);
    broker.start();
    kafka = broker.bootstrapServers();
    kafkaConfig = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka);
    done(kafka);

    step("schema registry");
    SchemaRegistryServer registry = SchemaRegistryServer.builder(kafka).host(HOST)
        .port(options.registryPort).build();
    started.push(registry);
    registry.start();
    registryUrl = registry.url();
    done(registryUrl);

    step("topics");
    Map<String, Object> serdeConfig = new HashMap<>(Map.of("schema.registry.url", registryUrl));
    RestSchemaRegistryClient client = new RestSchemaRegistryClient(
        io.chipstream.schema.registry.RegistryClientConfig.from(serdeConfig));
    started.push(client);
    topics = ChipstreamTopics.create(TopicNames.DEFAULT, client, serdeConfig);
    List<String> created = TopicAdmin.ensure(kafkaConfig, TopicNames.DEFAULT, options.partitions);
    done(created.isEmpty() ? "already there" : created.size() + " created");

    step("chip catalog");
    var catalog = ChipCatalogCsv.builtIn(Instant.now());
    CatalogLoader.Report report = new CatalogLoader(kafkaConfig, topics.catalog()).load(catalog);
    done(catalog.size() + " chips, " + report.written() + " written");

    step("streams app");
    StreamsSettings settings = new StreamsSettings(kafka, registryUrl, "chipstream",
        dataDir.resolve("streams-state"), "exactly_once_v2", 1, options.partitions,
        TopicNames.DEFAULT, topology,
        Map.of("num.standby.replicas", "0", // one instance: no standby to place
            "application.server", HOST + ":" + options.appPort));
    app = new ChipstreamStreams(settings);
    started.push(app);
    app.start();
    awaitRunning(app);
    AppServer web = app.startWeb(HOST, options.appPort);
    started.push(web);
    appUrl = web.url();
    done(appUrl + "/health");

    if (!options.noProducers) {
      step("simulated fleet");
      fleet = new FleetProducer(kafkaConfig, serdeConfig, client, topics, catalog, policy,
          options.rate);
      started.push(fleet);
      done(new BigDecimal(Double.toString(options.rate)).stripTrailingZeros().toPlainString()
          + " requests/s");
    }
    return this;
  }

  /** E.g. "demo-1: objective ENERGY, baseline X86, GRAVITON at 5% of cloud requests each". */
  static String describe(RoutingPolicy policy) {
    String text = policy.version() + ": objective " + policy.objective();
    if (!policy.hasBaseline()) {
      return text + ", no baseline";
    }
    return text + ", baseline " + policy.baselineFamilies().stream().map(Enum::name)
        .collect(Collectors.joining(", ")) + " at "
        + new BigDecimal(Double.toString(policy.baselineShare())).movePointRight(2)
            .stripTrailingZeros().toPlainString() + "% of cloud requests each";
  }

  private TopologyConfig topology() {
    Duration size = Durations.parse(options.window);
    Duration advance = options.advance == null ? size : Durations.parse(options.advance);
    TopologyConfig topology = TopologyConfig.defaults().withWindows(size, advance,
        Durations.parse(options.grace), EmitMode.parse(options.emit));
    return options.retention == null ? topology
        : topology.withRetention(Durations.parse(options.retention));
  }

  private static void awaitRunning(ChipstreamStreams app) {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (app.state() != KafkaStreams.State.RUNNING) {
      if (app.state() == KafkaStreams.State.ERROR || System.nanoTime() > deadline) {
        throw new IllegalStateException("the streams app did not reach RUNNING (it is "
            + app.state() + ")");
      }
      try {
        app.awaitStop(Duration.ofMillis(200)); // wakes early only if it stopped
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      }
    }
  }

  /** Stops producers, app, registry and broker, in that order. */
  @Override
  public void close() {
    while (!started.isEmpty()) {
      AutoCloseable component = started.pop();
      try {
        component.close();
      } catch (Exception e) {
        out.println("while stopping: " + e.getMessage());
      }
    }
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException ignored) {
      // the lock goes with the process anyway
    }
  }

  private void lockDataDir(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      lockChannel = FileChannel.open(dataDir.resolve("up.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use data folder " + dataDir, e);
    }
    if (lock == null) {
      throw new IllegalStateException("data folder " + dataDir + " is in use by another"
          + " 'chipstream up'; stop it, or pass --data-dir to use another folder");
    }
  }

  private static void checkPort(int port, String flag) {
    if (port != 0 && !PortAllocator.isFree(HOST, port)) {
      throw new IllegalStateException("port " + port + " is already in use; pass " + flag
          + " to choose another");
    }
  }

  private void step(String what) {
    out.printf(Locale.ROOT, "  starting %-22s", what + " ...");
    out.flush();
  }

  private void done(String detail) {
    out.println(" " + detail);
    out.flush();
  }

  /** Everything in the data folder but the lock we hold. */
  private static void deleteContents(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder())
          .filter(p -> !p.equals(dir) && !p.equals(dir.resolve("up.lock")))
          .forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot delete " + p + " for --fresh", e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
