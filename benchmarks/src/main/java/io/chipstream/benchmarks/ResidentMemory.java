package io.chipstream.benchmarks;

import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.catalog.ChipCatalogCsv;
import io.chipstream.classify.RoutingPolicy;
import io.chipstream.localkafka.ClasspathArgFile;
import io.chipstream.localkafka.LocalKafkaBroker;
import io.chipstream.localkafka.PortAllocator;
import io.chipstream.producers.catalog.CatalogLoader;
import io.chipstream.producers.fleet.FleetConfig;
import io.chipstream.producers.fleet.FleetSimulator;
import io.chipstream.producers.trace.TokenSizes;
import io.chipstream.registry.SchemaRegistryServer;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.TopicAdmin;
import io.chipstream.schema.topics.TopicNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The app's memory at steady state: {@code chipstream streams} as its own process (one, then two
 * instances of one application), fed a fixed rate of simulated fleet traffic; each process's
 * resident set (VmRSS) and JVM heap in use are sampled every second, and whether it kept up (its
 * consumer lag at the end) is reported.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.chipstream.benchmarks.ResidentMemory
 *     [--rate 2000] [--seconds 60] [--xmx 512m] [--out memory.md] [--smoke]</pre>
 */
public final class ResidentMemory {
  private static final int PARTITIONS = 3;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ResidentMemory() {}

  public static void main(String[] args) throws Exception {
    report(args);
    System.exit(0); // Kafka clients leave non-daemon threads behind
  }

  public static String report(String[] args) throws Exception {
    HarnessArgs options = new HarnessArgs(args);
    boolean smoke = options.has("--smoke");
    int rate = options.intValue("--rate", smoke ? 200 : 2000);
    int seconds = options.intValue("--seconds", smoke ? 6 : 60);
    String xmx = options.value("--xmx", "512m");
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "`chipstream streams` in its own JVM (-Xmx%s, exactly-once, 1 stream thread), fed %,d"
            + " requests/s plus fleet telemetry for %d s; samples every second, steady state ="
            + " median of the second half.%n%n"
            + "| instances | RSS per instance, steady (MiB) | RSS peak (MiB) | heap in use,"
            + " steady (MiB) | consumer lag at the end |%n|---:|---:|---:|---:|---:|%n",
        xmx, rate, seconds));
    try (LocalKafkaBroker broker = LocalKafkaBroker.builder().build().start();
        SchemaRegistryServer registry = SchemaRegistryServer.builder(broker.bootstrapServers())
            .build().start()) {
      for (int instances : smoke ? List.of(1) : List.of(1, 2)) {
        out.append(run(broker.bootstrapServers(), registry.url(), instances, rate, seconds,
            xmx));
      }
    }
    return options.publish(out.toString());
  }

  private static String run(String bootstrap, String registryUrl, int instances, int rate,
      int seconds, String xmx) throws Exception {
    String id = "memory-" + UUID.randomUUID().toString().substring(0, 8);
    TopicNames names = TopicNames.withPrefix(id + ".");
    Map<String, Object> client = Map.of("bootstrap.servers", bootstrap);
    Map<String, Object> serde = Map.of("schema.registry.url", registryUrl);
    try (RestSchemaRegistryClient registry = RestSchemaRegistryClient.forUrl(registryUrl)) {
      ChipstreamTopics topics = ChipstreamTopics.create(names, registry, serde);
      TopicAdmin.ensure(client, names, PARTITIONS);
      new CatalogLoader(client, topics.catalog()).load(ChipCatalogCsv.builtIn(Instant.now()));
      List<Process> apps = new ArrayList<>();
      List<Integer> ports = new ArrayList<>();
      Path state = Files.createTempDirectory("chipstream-memory");
      try {
        for (int i = 0; i < instances; i++) {
          int port = PortAllocator.freePort("127.0.0.1");
          ports.add(port);
          apps.add(new ProcessBuilder(javaCommand(xmx, List.of(
              "--bootstrap-servers=" + bootstrap, "--schema-registry-url=" + registryUrl,
              "--application-id=" + id, "--state-dir=" + state.resolve("i" + i),
              "--topic-prefix=" + id + ".", "--app-port=" + port)))
              .redirectErrorStream(true)
              .redirectOutput(state.resolve("app-" + i + ".log").toFile()).start());
        }
        for (int port : ports) {
          awaitHealthy(port);
        }
        List<double[]> samples = feed(topics, client, rate, seconds, apps, ports);
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2)); // the last commit interval
        long lag = TopicAdmin.lag(client, id, List.of(names.requests(), names.telemetry()));
        int from = samples.size() / 2;
        double rss = median(samples.subList(from, samples.size()), 0) / instances;
        double peak = samples.stream().mapToDouble(s -> s[2]).max().orElse(0);
        double heap = median(samples.subList(from, samples.size()), 1) / instances;
        return String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %,.0f | %,d |%n", instances,
            rss, peak, heap, lag);
      } finally {
        for (Process app : apps) {
          app.destroy();
          if (!app.waitFor(40, TimeUnit.SECONDS)) {
            app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          }
        }
        StateGrowth.delete(state);
      }
    }
  }

  /** Sends at {@code rate} for {@code seconds}; samples {total RSS, total heap, max RSS} (MiB). */
  private static List<double[]> feed(ChipstreamTopics topics, Map<String, Object> client,
      int rate, int seconds, List<Process> apps, List<Integer> ports) {
    Instant now = Instant.now();
    FleetSimulator fleet = new FleetSimulator(FleetConfig.defaults(3),
        ChipCatalogCsv.builtIn(now), TokenSizes.builtIn(), RoutingPolicy.defaults(), now);
    Map<String, Object> config = new HashMap<>(client);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    List<double[]> samples = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      long started = System.nanoTime();
      long nextSample = started + TimeUnit.SECONDS.toNanos(1);
      long end = started + TimeUnit.SECONDS.toNanos(seconds);
      long sent = 0;
      while (System.nanoTime() < end) {
        long due = started + (long) (sent * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        Instant at = Instant.now();
        InferenceRequest request = fleet.nextRequest(at);
        producer.send(new ProducerRecord<>(topics.requests().name(), null, at.toEpochMilli(),
            bytes(request.getRequestId()), topics.requests().valueSerde().serializer()
                .serialize(topics.requests().name(), request)));
        for (TelemetrySample sample : fleet.telemetryDue(at)) {
          producer.send(new ProducerRecord<>(topics.telemetry().name(), null,
              at.toEpochMilli(), bytes(sample.getSourceId()), topics.telemetry().valueSerde()
                  .serializer().serialize(topics.telemetry().name(), sample)));
        }
        sent++;
        if (System.nanoTime() >= nextSample) {
          nextSample += TimeUnit.SECONDS.toNanos(1);
          double rss = 0;
          double heap = 0;
          double max = 0;
          for (int i = 0; i < apps.size(); i++) {
            double one = rssMib(apps.get(i).pid());
            rss += one;
            max = Math.max(max, one);
            heap += heapMib(ports.get(i));
          }
          samples.add(new double[] {rss, heap, max});
          System.err.printf(Locale.ROOT, "%,d sent; RSS %.0f MiB, heap %.0f MiB%n", sent, rss,
              heap);
        }
      }
      producer.flush();
    }
    return samples;
  }

  private static List<String> javaCommand(String xmx, List<String> args) throws IOException {
    Path argFile = Files.createTempFile("chipstream-memory", ".args");
    argFile.toFile().deleteOnExit();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + xmx,
        ClasspathArgFile.write(argFile, System.getProperty("java.class.path")),
        "io.chipstream.streams.app.StreamsMain"));
    command.addAll(args);
    return command;
  }

  private static double rssMib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
      }
      return 0;
    } catch (IOException e) {
      return 0; // not Linux, or the process is gone
    }
  }

  private static double heapMib(int port) {
    try {
      String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
      return metrics.lines()
          .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum() / (1024 * 1024);
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static void awaitHealthy(int port) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      try {
        if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/health")).GET().build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
    }
    throw new IllegalStateException("the app on port " + port + " was not RUNNING in 120 s");
  }

  private static double median(List<double[]> samples, int column) {
    return samples.isEmpty() ? 0
        : EndToEndBenchmark.median(samples.stream().map(s -> s[column]).toList());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
