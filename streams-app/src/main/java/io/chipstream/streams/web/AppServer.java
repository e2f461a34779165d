package io.chipstream.streams.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chipstream.avro.ChipFamily;
import io.chipstream.streams.ChipstreamTopology;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's web port: health, Prometheus metrics and JSON queries of its state stores.
 *
 * <pre>
 * GET /                                     the live dashboard (polls the API below)
 * GET /health                               200 when Kafka Streams is RUNNING, else 503
 * GET /metrics                              Prometheus text: Kafka Streams' metrics (with the
 *                                           stream-chipstream-metrics counters), JVM
 * GET /api/catalog                          the chip catalog
 * GET /api/efficiency?family=&from=&to=     every window in the range (default: last hour)
 * GET /api/efficiency/latest                each family's newest window
 * GET /api/decisions/summary?from=&to=      requests, local and cloud shares, counts per reason
 * </pre>
 *
 * The window store lives in one task, so on one instance; any instance answers: one that does
 * not host it forwards the request to the one that does ({@code application.server}). If that
 * one does not answer, a standby replica here ({@code num.standby.replicas}) answers instead.
 * The {@value #SERVED_BY} header names the instance that answered.
 */
public final class AppServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AppServer.class);
  private static final String FORWARDED = "X-Chipstream-Forwarded";
  /** The response header naming the instance that answered a query, and as what. */
  public static final String SERVED_BY = "X-Chipstream-Served-By";
  private static final Duration MAX_RANGE = Duration.ofDays(7);
  private static final Duration STORE_WAIT = Duration.ofSeconds(3);
  /** The uPlot WebJar's version; {@code StaticAssetsTest} fails if the jar has another. */
  static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final java.util.Map<String, String[]> ASSETS = java.util.Map.of(
      "/", new String[] {"web/dashboard.html", "text/html; charset=utf-8"},
      "/dashboard", new String[] {"web/dashboard.html", "text/html; charset=utf-8"},
      "/assets/dashboard.js", new String[] {"web/dashboard.js", "text/javascript"},
      "/assets/dashboard.css", new String[] {"web/dashboard.css", "text/css"},
      "/assets/uPlot.iife.min.js", new String[] {UPLOT + "uPlot.iife.min.js", "text/javascript"},
      "/assets/uPlot.min.css", new String[] {UPLOT + "uPlot.min.css", "text/css"});

  private final KafkaStreams streams;
  private final HostInfo self;
  private final HttpServer http;
  private final ExecutorService executor;
  private final EfficiencyQueries queries;
  private final PrometheusMeterRegistry metrics;
  private final KafkaStreamsMetrics streamsMetrics;
  private final java.util.concurrent.ScheduledExecutorService metricsRefresh;
  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * @param host the address to bind, 127.0.0.1 unless the app is to be reached from elsewhere
   * @param port the port; 0 for a free one
   * @param advertised how other instances reach this one (its {@code application.server})
   */
  public AppServer(String host, int port, HostInfo advertised, KafkaStreams streams) {
    this.streams = streams;
    this.self = advertised;
    this.queries = new EfficiencyQueries(streams);
    this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Tasks (and the app's own sensors) appear after a rebalance: look for new metrics every
    // 5 s rather than Micrometer's default minute.
    this.metricsRefresh = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "chipstream-metrics-refresh");
      t.setDaemon(true);
      return t;
    });
    this.streamsMetrics = new KafkaStreamsMetrics(streams, java.util.List.of(), metricsRefresh,
        Duration.ofSeconds(5));
    streamsMetrics.bindTo(metrics);
    new JvmMemoryMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    try {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 32);
    } catch (BindException e) {
      throw new IllegalStateException("port " + port + " on " + host + " is already in use", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "chipstream-web");
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(executor);
    http.createContext("/", this::handle);
    http.start();
  }

  public int port() {
    return http.getAddress().getPort();
  }

  public String url() {
    return "http://" + http.getAddress().getAddress().getHostAddress() + ":" + port();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      if (!"GET".equals(exchange.getRequestMethod())) {
        respond(exchange, 405, error("only GET is served"));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getRawQuery();
      if (ASSETS.containsKey(path)) {
        asset(exchange, ASSETS.get(path));
        return;
      }
      switch (path) {
        case "/health" -> health(exchange);
        case "/metrics" -> respond(exchange, 200, metrics.scrape(), "text/plain; version=0.0.4");
        case "/api/catalog" -> {
          new QueryParams(query, Set.of());
          respond(exchange, 200, queries.catalog().toString());
        }
        case "/api/efficiency" -> windowed(exchange, query, () -> {
          QueryParams params = new QueryParams(query, Set.of("family", "from", "to"));
          ChipFamily family = params.family("family");
          Instant to = params.instant("to", Instant.now());
          Instant from = params.instant("from", to.minus(Duration.ofHours(1)));
          QueryParams.checkRange(from, to, MAX_RANGE);
          return queries.efficiency(family, from, to).toString();
        });
        case "/api/efficiency/latest" -> windowed(exchange, query, () -> {
          new QueryParams(query, Set.of());
          Instant now = Instant.now();
          return queries.latest(now.minus(Duration.ofHours(1)), now.plusSeconds(3600))
              .toString();
        });
        case "/api/decisions/summary" -> windowed(exchange, query, () -> {
          QueryParams params = new QueryParams(query, Set.of("from", "to"));
          Instant to = params.instant("to", Instant.now());
          Instant from = params.instant("from", to.minus(Duration.ofMinutes(15)));
          QueryParams.checkRange(from, to, MAX_RANGE);
          return queries.decisionSummary(from, to).toString();
        });
        default -> respond(exchange, 404, error("no such resource: " + path));
      }
    } catch (BadRequest e) {
      respond(exchange, 400, error(e.getMessage()));
    } catch (InvalidStateStoreException e) {
      respond(exchange, 503, error("the stores are not ready (rebalancing); try again"));
    } catch (RuntimeException e) {
      log.error("serving {} failed", exchange.getRequestURI(), e);
      respond(exchange, 500, error("internal error: " + e.getClass().getSimpleName()));
    }
  }

  /**
   * Answers from the window store here, or forwards to the instance that hosts it. When that
   * instance does not answer (it died, and the group has not noticed yet) or no instance is
   * active (rebalancing), a replica here answers instead: a standby may be a few records
   * behind, which beats no answer. {@value #SERVED_BY} says which instance answered.
   */
  private void windowed(HttpExchange exchange, String query, Query local) throws IOException {
    KeyQueryMetadata owner = streams.queryMetadataForKey(ChipstreamTopology.FAMILY_WINDOW_STORE,
        ChipFamily.X86.name(), Serdes.String().serializer());
    if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
      answerHere(exchange, local, "replica"); // no replica here: 503
      return;
    }
    HostInfo host = owner.activeHost();
    if (self == null || host.equals(self) || host.equals(HostInfo.unavailable())
        || exchange.getRequestHeaders().containsKey(FORWARDED)) {
      answerHere(exchange, local, "active");
      return;
    }
    URI target = URI.create("http://" + host.host() + ":" + host.port()
        + exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query));
    try {
      HttpResponse<String> answer = client.send(HttpRequest.newBuilder(target)
          .header(FORWARDED, self.host() + ":" + self.port())
          .timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      answer.headers().firstValue(SERVED_BY)
          .ifPresent(by -> exchange.getResponseHeaders().set(SERVED_BY, by));
      respond(exchange, answer.statusCode(), answer.body());
    } catch (IOException e) {
      if (owner.standbyHosts().contains(self)) {
        log.warn("{} did not answer ({}); answering from the standby replica here", host,
            e.getMessage());
        answerHere(exchange, local, "standby");
        return;
      }
      respond(exchange, 502, error("the instance holding the data (" + host.host() + ":"
          + host.port() + ") did not answer: " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respond(exchange, 503, error("interrupted"));
    }
  }

  /**
   * Answers from a store here. While a task moves (a standby becoming active) its store is shut
   * for a moment: wait for it briefly rather than answer 503 at once.
   */
  private void answerHere(HttpExchange exchange, Query local, String role) throws IOException {
    long deadline = System.nanoTime() + STORE_WAIT.toNanos();
    String answer;
    while (true) {
      try {
        answer = local.answer();
        break;
      } catch (InvalidStateStoreException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
    }
    exchange.getResponseHeaders().set(SERVED_BY, (self == null ? "local" : self.host() + ":"
        + self.port()) + " " + role);
    respond(exchange, 200, answer);
  }

  private static void asset(HttpExchange exchange, String[] asset) throws IOException {
    try (java.io.InputStream in = AppServer.class.getClassLoader()
        .getResourceAsStream(asset[0])) {
      if (in == null) {
        respond(exchange, 404, error("missing asset " + asset[0]));
        return;
      }
      byte[] body = in.readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", asset[1]);
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private void health(HttpExchange exchange) throws IOException {
    KafkaStreams.State state = streams.state();
    boolean ready = state == KafkaStreams.State.RUNNING;
    ObjectNode body = AvroJson.MAPPER.createObjectNode();
    body.put("status", ready ? "UP" : "DOWN");
    body.put("state", state.name());
    respond(exchange, ready ? 200 : 503, body.toString());
  }

  private static String error(String message) {
    ObjectNode body = AvroJson.MAPPER.createObjectNode();
    body.put("error", message);
    return body.toString();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    respond(exchange, status, body, "application/json");
  }

  private static void respond(HttpExchange exchange, int status, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
    streamsMetrics.close();
    metricsRefresh.shutdownNow();
    metrics.close();
  }

  /** A query answered from this instance's stores, as JSON. */
  @FunctionalInterface
  private interface Query {
    String answer();
  }

}
