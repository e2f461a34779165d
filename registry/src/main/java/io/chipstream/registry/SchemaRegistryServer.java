package io.chipstream.registry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded schema registry that speaks the Confluent REST API over real HTTP and keeps its
 * schemas in a compacted Kafka topic ({@code _schemas} by default) in Confluent's record format.
 * It binds to 127.0.0.1 unless told otherwise.
 *
 * <pre>{@code
 * try (SchemaRegistryServer registry = SchemaRegistryServer.builder(bootstrap).build().start()) {
 *   String url = registry.url(); // http://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class SchemaRegistryServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);

  static {
    // The JDK server writes headers and body separately; with Nagle's algorithm on, the body
    // waits for the client's delayed ACK, ~40 ms per request. Read once, when the server's
    // config class loads, so it must be set before the first HttpServer is made.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final Builder settings;
  private KafkaSchemaLog schemaLog;
  private HttpServer http;
  private ExecutorService executor;

  private SchemaRegistryServer(Builder settings) {
    this.settings = settings;
  }

  /** A registry storing its schemas in the Kafka cluster at {@code bootstrapServers}. */
  public static Builder builder(String bootstrapServers) {
    return new Builder(bootstrapServers);
  }

  /** Prepares the topic, replays it, and starts answering HTTP. */
  public synchronized SchemaRegistryServer start() {
    long startedAt = System.nanoTime();
    Map<String, Object> kafka = new HashMap<>(settings.kafkaConfig);
    kafka.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers);
    schemaLog = new KafkaSchemaLog(kafka, settings.topic);
    try {
      schemaLog.ensureTopic();
      SchemaRegistryService service = new SchemaRegistryService(schemaLog);
      long records = service.load();
      http = HttpServer.create();
      http.bind(new InetSocketAddress(InetAddress.getByName(settings.host), settings.port), 64);
      AtomicInteger threads = new AtomicInteger();
      executor = Executors.newFixedThreadPool(settings.threads, r -> {
        Thread t = new Thread(r, "schema-registry-http-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      http.setExecutor(executor);
      http.createContext("/", new RestApi(service, settings.maxBodyBytes,
          Optional.ofNullable(settings.basicAuthUserInfo)));
      http.start();
      log.info("Schema registry at {} ({} records replayed from {}) in {} ms", url(), records,
          settings.topic, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
      return this;
    } catch (BindException e) {
      close();
      throw new IllegalStateException("port " + settings.port + " on " + settings.host
          + " is already in use; choose another registry port", e);
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The base URL clients and serdes use as {@code schema.registry.url}. */
  public synchronized String url() {
    if (http == null) {
      throw new IllegalStateException("registry not started");
    }
    InetSocketAddress address = http.getAddress();
    return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  public synchronized int port() {
    return http.getAddress().getPort();
  }

  @Override
  public synchronized void close() {
    if (http != null) {
      http.stop(0);
      http = null;
    }
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
    if (schemaLog != null) {
      schemaLog.close();
      schemaLog = null;
    }
  }

  /** Registry settings; only the Kafka bootstrap servers are required. */
  public static final class Builder {
    private final String bootstrapServers;
    private String host = "127.0.0.1";
    private int port;
    private String topic = "_schemas";
    private int threads = 8;
    private int maxBodyBytes = 1 << 20;
    private String basicAuthUserInfo;
    private final Map<String, Object> kafkaConfig = new HashMap<>();

    private Builder(String bootstrapServers) {
      this.bootstrapServers = Objects.requireNonNull(bootstrapServers);
    }

    /** The address to bind; 127.0.0.1 by default. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** The HTTP port; 0 (the default) takes a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The compacted topic the schemas live in; {@code _schemas} by default. */
    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /** Larger request bodies get 413; 1 MiB by default. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** Requires HTTP basic auth with these credentials ({@code user:password}). */
    public Builder basicAuth(String userInfo) {
      this.basicAuthUserInfo = userInfo;
      return this;
    }

    /** Extra Kafka client settings, e.g. SASL or SSL, for the registry's own clients. */
    public Builder kafkaConfig(Map<String, ?> config) {
      kafkaConfig.putAll(config);
      return this;
    }

    public SchemaRegistryServer build() {
      return new SchemaRegistryServer(this);
    }
  }
}
