package io.chipstream.streams.app;

import io.chipstream.schema.topics.TopicNames;
import io.chipstream.streams.EmitMode;
import io.chipstream.streams.TopologyConfig;
import io.chipstream.classify.RoutingPolicy;
import io.chipstream.config.Durations;
import io.chipstream.config.LayeredSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chipstream streams}: runs the Streams app against any cluster and registry. Each setting
 * comes from, in rising precedence: its default, the {@code --config} properties file, the
 * environment, the flag ({@link LayeredSettings}, as the producers read theirs).
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
    description = "Run the Chipstream Kafka Streams app against any Kafka cluster and schema"
        + " registry. Ctrl-C stops it cleanly.")
public final class StreamsCommand implements Callable<Integer> {
  /** Every environment variable the app reads; reading another is a bug (see Layers). */
  public static final java.util.Set<String> ENVIRONMENT = java.util.Set.of(
      "KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL", "CHIPSTREAM_APPLICATION_ID",
      "CHIPSTREAM_STATE_DIR", "CHIPSTREAM_PROCESSING_GUARANTEE", "CHIPSTREAM_THREADS",
      "CHIPSTREAM_PARTITIONS", "CHIPSTREAM_TOPIC_PREFIX", "CHIPSTREAM_WINDOW",
      "CHIPSTREAM_ADVANCE", "CHIPSTREAM_GRACE", "CHIPSTREAM_EMIT", "CHIPSTREAM_POLICY",
      "CHIPSTREAM_RETENTION", "CHIPSTREAM_PARTIALS_FLUSH",
      "CHIPSTREAM_APP_HOST", "CHIPSTREAM_APP_PORT", "CHIPSTREAM_APP_ADVERTISED_HOST");

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
      description = "Kafka (env KAFKA_BOOTSTRAP_SERVERS; default localhost:9092)")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", paramLabel = "URL",
      description = "Schema registry (env SCHEMA_REGISTRY_URL; default http://localhost:8081)")
  String schemaRegistryUrl;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Properties for the Kafka and registry clients (SASL, SSL,"
          + " basic.auth.user.info, ...), and any setting below by its key")
  Path config;

  @Option(names = "--application-id", description = "Kafka Streams application id; instances"
      + " with the same id share the work (env CHIPSTREAM_APPLICATION_ID; default chipstream)")
  String applicationId;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "State folder (env"
      + " CHIPSTREAM_STATE_DIR; default .chipstream/streams-state)")
  Path stateDir;

  @Option(names = "--processing-guarantee", description = "exactly_once_v2 (default) or"
      + " at_least_once")
  String processingGuarantee;

  @Option(names = "--threads", description = "Stream threads (default 1)")
  Integer threads;

  @Option(names = "--partitions", description = "Partitions of topics created when missing"
      + " (default 3)")
  Integer partitions;

  @Option(names = "--topic-prefix", description = "Prefix of every topic name (default none)")
  String topicPrefix;

  @Option(names = "--window", paramLabel = "DURATION", description = "Window size (default 1m)")
  String window;

  @Option(names = "--advance", paramLabel = "DURATION",
      description = "Window advance; = size for tumbling windows (default: the size)")
  String advance;

  @Option(names = "--grace", paramLabel = "DURATION",
      description = "Grace for late records (default 30s)")
  String grace;

  @Option(names = "--retention", paramLabel = "DURATION", description = "How far back (event"
      + " time) the window results stay queryable over /api; at least the window plus grace"
      + " (default 1h)")
  String retention;

  @Option(names = "--emit", description = "eager (updates) or final (one record per window"
      + " after it closes); default eager")
  String emit;

  @Option(names = "--partials-flush", paramLabel = "DURATION", description = "How often each"
      + " input task sends its per-family partial sums on to the window aggregation; results"
      + " lag by up to this much (default 100ms)")
  String partialsFlush;

  @Option(names = "--app-host", description = "Address the web port binds to and is reached at"
      + " by other instances (default 127.0.0.1)")
  String appHost;

  @Option(names = "--app-port", description = "Web port: /health, /metrics, /api/... (default"
      + " 8080; 0 for none)")
  Integer appPort;

  @Option(names = "--app-advertised-host", description = "How other instances reach this one,"
      + " when it differs from --app-host, e.g. a container's address (env"
      + " CHIPSTREAM_APP_ADVERTISED_HOST)")
  String appAdvertisedHost;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "Routing policy overrides (see routing-policy.properties)")
  Path policy;

  @Override
  public Integer call() throws Exception {
    StreamsSettings settings = settings(System.getenv());
    Map<String, String> env = System.getenv();
    try (ChipstreamStreams app = new ChipstreamStreams(settings)) {
      Runtime.getRuntime().addShutdownHook(new Thread(app::close, "chipstream-shutdown"));
      app.start();
      int port = webPort(env);
      if (port > 0) {
        try (io.chipstream.streams.web.AppServer web = app.startWeb(webHost(env), port)) {
          System.err.println("chipstream streams: web port " + web.url());
          app.awaitStop();
        }
      } else {
        app.awaitStop();
      }
      if (app.state() == KafkaStreams.State.ERROR) {
        // A thread that could not go on (the log says which and why): exit non-zero, so the
        // supervisor starts the app again rather than count it as stopped on purpose.
        System.err.println("chipstream streams: stopped on an error (see the log)");
        return 1;
      }
    }
    return 0;
  }

  /** The settings from defaults, the config file, {@code env} and the flags, in that order. */
  public StreamsSettings settings(Map<String, String> env) {
    Properties file = LayeredSettings.load(config);
    Layers layers = new Layers(new LayeredSettings(file, key -> read(env, key)));
    Map<String, String> clientProperties = new HashMap<>();
    for (String key : file.stringPropertyNames()) {
      if (!key.startsWith("chipstream.")) {
        clientProperties.put(key, file.getProperty(key));
      }
    }
    if (webPort(env) > 0) {
      String advertised = appAdvertisedHost != null ? appAdvertisedHost
          : read(env, "CHIPSTREAM_APP_ADVERTISED_HOST") != null
              ? read(env, "CHIPSTREAM_APP_ADVERTISED_HOST") : webHost(env);
      clientProperties.putIfAbsent("application.server", advertised + ":" + webPort(env));
    }
    clientProperties.remove("bootstrap.servers");
    clientProperties.remove("schema.registry.url");
    clientProperties.remove("application.id");
    clientProperties.remove("state.dir");

    String size = layers.get(window, "chipstream.window", "CHIPSTREAM_WINDOW", "1m");
    TopologyConfig topology = TopologyConfig.defaults().withWindows(
        Durations.parse(size),
        Durations.parse(layers.get(advance, "chipstream.advance", "CHIPSTREAM_ADVANCE", size)),
        Durations.parse(layers.get(grace, "chipstream.grace", "CHIPSTREAM_GRACE", "30s")),
        EmitMode.parse(layers.get(emit, "chipstream.emit", "CHIPSTREAM_EMIT", "eager")))
        .withPartialsFlush(Durations.parse(layers.get(partialsFlush, "chipstream.partials.flush",
            "CHIPSTREAM_PARTIALS_FLUSH", "100ms")));
    String kept = layers.get(retention, "chipstream.retention", "CHIPSTREAM_RETENTION", null);
    if (kept != null) {
      topology = topology.withRetention(Durations.parse(kept));
    }
    String policyFile = layers.get(policy == null ? null : policy.toString(),
        "chipstream.policy", "CHIPSTREAM_POLICY", null);
    if (policyFile != null) {
      topology = topology.withPolicy(RoutingPolicy.load(Path.of(policyFile)));
    }
    String prefix = layers.get(topicPrefix, "chipstream.topic.prefix", "CHIPSTREAM_TOPIC_PREFIX",
        "");
    return new StreamsSettings(
        layers.get(bootstrapServers, "bootstrap.servers", "KAFKA_BOOTSTRAP_SERVERS",
            "localhost:9092"),
        layers.get(schemaRegistryUrl, "schema.registry.url", "SCHEMA_REGISTRY_URL",
            "http://localhost:8081"),
        layers.get(applicationId, "application.id", "CHIPSTREAM_APPLICATION_ID", "chipstream"),
        Path.of(layers.get(stateDir == null ? null : stateDir.toString(), "state.dir",
            "CHIPSTREAM_STATE_DIR", ".chipstream/streams-state")).toAbsolutePath(),
        layers.get(processingGuarantee, "processing.guarantee", "CHIPSTREAM_PROCESSING_GUARANTEE",
            "exactly_once_v2"),
        layers.number(threads, "num.stream.threads", "CHIPSTREAM_THREADS", 1),
        layers.number(partitions, "chipstream.partitions", "CHIPSTREAM_PARTITIONS", 3),
        TopicNames.withPrefix(prefix),
        topology,
        clientProperties);
  }

  private int webPort(Map<String, String> env) {
    String fromEnv = read(env, "CHIPSTREAM_APP_PORT");
    int port = appPort != null ? appPort
        : fromEnv != null ? Layers.parse(fromEnv, "CHIPSTREAM_APP_PORT", Integer::parseInt)
        : 8080;
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("the web port (--app-port, CHIPSTREAM_APP_PORT) must be"
          + " 0 to 65535 (0 for none), not " + port);
    }
    return port;
  }

  private String webHost(Map<String, String> env) {
    String fromEnv = read(env, "CHIPSTREAM_APP_HOST");
    return appHost != null ? appHost : fromEnv != null ? fromEnv : "127.0.0.1";
  }

  private static String read(Map<String, String> env, String key) {
    if (!ENVIRONMENT.contains(key)) {
      throw new IllegalStateException("undeclared environment variable " + key);
    }
    String value = env.get(key);
    return value == null || value.isBlank() ? null : value;
  }

  /** The settings' layers, and whole numbers read from them with the key in the error. */
  private record Layers(LayeredSettings settings) {
    String get(String flag, String fileKey, String envKey, String defaultValue) {
      return settings.get(flag, fileKey, envKey, defaultValue);
    }

    int number(Integer flag, String fileKey, String envKey, int defaultValue) {
      String value = get(flag == null ? null : flag.toString(), fileKey, envKey,
          Integer.toString(defaultValue));
      return parse(value, fileKey, Integer::parseInt);
    }

    private static <T> T parse(String value, String key, Function<String, T> parser) {
      try {
        return parser.apply(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
      }
    }
  }
}
