package io.chipstream.benchmarks;

import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.ExecutionTarget;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.avro.RoutingReason;
import io.chipstream.catalog.ChipCatalogCsv;
import io.chipstream.classify.Decision;
import io.chipstream.classify.Estimate;
import io.chipstream.classify.RoutingPolicy;
import io.chipstream.config.Durations;
import io.chipstream.localkafka.LocalKafkaBroker;
import io.chipstream.producers.catalog.CatalogLoader;
import io.chipstream.producers.fleet.FleetConfig;
import io.chipstream.producers.fleet.FleetSimulator;
import io.chipstream.producers.trace.TokenSizes;
import io.chipstream.registry.SchemaRegistryServer;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.Topic;
import io.chipstream.schema.topics.TopicAdmin;
import io.chipstream.schema.topics.TopicNames;
import io.chipstream.streams.ChipstreamSerdes;
import io.chipstream.streams.ChipstreamTopology;
import io.chipstream.streams.TopologyConfig;
import io.chipstream.streams.app.StreamsSettings;
import io.chipstream.streams.classify.ClassifyStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * End to end on the local broker, in one run: (a) the limit, a pass-through Kafka Streams app
 * (bytes in, bytes out) on the same topics and partitions; (a2) the same with the app's Avro
 * serde on both sides, nothing else (what Avro and the registry cost alone); (a3) a fixed
 * decision per request, without the app's logic (what writing a decision costs); (a4) the full
 * topology's request path alone, without the telemetry's tasks and the window aggregation (what
 * the rest of the topology costs the requests); (b) the full Chipstream topology with Avro and
 * the registry, at-least-once and exactly-once, each as a ratio to (a); then
 * produce-to-decision latency at fixed rates, exactly-once.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.chipstream.benchmarks.EndToEndBenchmark
 *     [--records 600000] [--latency-seconds 20] [--out BENCHMARKS-e2e.md] [--smoke]
 *     [--only throughput|latency] [--set streams.property=value]... [--rounds 5]
 *     [--partials-flush 100ms] [--warm-up-records N]</pre>
 *
 * <p>The pass-throughs, the fixed decisions, the request path and the full topology (one thread,
 * each guarantee) run {@code --rounds} times, interleaved, and the report gives the median of
 * each and the median of each round's ratio: a single run of a few seconds on a shared machine
 * moves by a third. Then one run each of the full topology with two threads and with two
 * instances, and of the pass-through at its fastest setting ({@code max.task.idle.ms=-1}). Each
 * throughput run follows an unmeasured run of the same app on {@code --warm-up-records} records
 * (a third of {@code --records} unless given).
 *
 * <p>Every app the run starts has the settings the app ships with ({@code StreamsSettings});
 * {@code --set} overrides one, to try a tuning; {@code --partials-flush} sets how often the
 * topology sends its partial sums (as {@code chipstream streams --partials-flush}).
 */
public final class EndToEndBenchmark {
  private static final int PARTITIONS = 3;
  /** Seconds at each latency run's rate before the measured ones. */
  private static final int WARM_UP_SECONDS = 3;
  /** How many runs' records the unmeasured pass-through before the first round is. */
  private static final int BROKER_WARM_UP_RUNS = 3;
  /**
   * One decision for every request: to a Graviton of the built-in catalog, for two reasons,
   * with fixed estimates. Only its record's size and shape matter here.
   */
  private static final Decision FIXED_DECISION = new Decision(ExecutionTarget.CLOUD,
      ChipCatalogCsv.builtIn(Instant.EPOCH).stream()
          .filter(chip -> chip.getChipFamily() == ChipFamily.GRAVITON).findFirst().orElseThrow(),
      List.of(RoutingReason.PERSONAL_DATA_KEPT_PRIVATE, RoutingReason.OBJECTIVE_ENERGY),
      new Estimate(412.5, 3.25, 0.00042));
  private static final RoutingPolicy POLICY = RoutingPolicy.defaults();

  private final int records;
  /** The records of the unmeasured run of the same app before each throughput run. */
  private final int warmUpRecords;
  private final int rounds;
  private final int latencySeconds;
  private final Map<String, String> overrides;
  private final TopologyConfig topologyConfig;
  private double lastEos;
  private final LocalKafkaBroker broker;
  private final SchemaRegistryServer registry;
  private final RestSchemaRegistryClient client;
  private final Path stateRoot;

  private EndToEndBenchmark(int records, int warmUpRecords, int rounds, int latencySeconds,
      Map<String, String> overrides, TopologyConfig topologyConfig) throws IOException {
    this.records = records;
    this.warmUpRecords = warmUpRecords;
    this.topologyConfig = topologyConfig;
    this.rounds = rounds;
    this.latencySeconds = latencySeconds;
    this.overrides = overrides;
    this.broker = LocalKafkaBroker.builder().build().start();
    this.registry = SchemaRegistryServer.builder(broker.bootstrapServers()).build().start();
    this.client = RestSchemaRegistryClient.forUrl(registry.url());
    this.stateRoot = Files.createTempDirectory("chipstream-bench-state");
  }

  public static void main(String[] args) throws Exception {
    report(args);
    System.exit(0); // Kafka clients leave non-daemon threads behind
  }

  /** Runs the benchmark and returns (and, with --out, writes) the report. */
  public static String report(String[] args) throws Exception {
    HarnessArgs options = new HarnessArgs(args);
    boolean smoke = options.has("--smoke");
    int records = options.intValue("--records", smoke ? 5_000 : 600_000);
    int latencySeconds = options.intValue("--latency-seconds", smoke ? 3 : 20);
    int rounds = options.intValue("--rounds", smoke ? 1 : 5);
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be at least 1, not " + rounds);
    }
    String only = options.value("--only", "");
    Map<String, String> overrides = new java.util.LinkedHashMap<>();
    for (String setting : options.values("--set")) {
      String[] kv = setting.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("--set needs key=value, not " + setting);
      }
      overrides.put(kv[0], kv[1]);
    }
    TopologyConfig topologyConfig = TopologyConfig.defaults();
    String flush = options.value("--partials-flush", null);
    if (flush != null) {
      topologyConfig = topologyConfig.withPartialsFlush(Durations.parse(flush));
    }
    int warmUpRecords = options.intValue("--warm-up-records", Math.max(1_000, records / 3));
    EndToEndBenchmark bench = new EndToEndBenchmark(records, warmUpRecords, rounds,
        latencySeconds, overrides, topologyConfig);
    try {
      return options.publish(bench.run(smoke, only));
    } finally {
      bench.close();
    }
  }

  private String run(boolean smoke, String only) throws Exception {
    StringBuilder report = new StringBuilder();
    report.append(String.format(Locale.ROOT, "Machine: %d cores, %.1f GiB max heap of this JVM,"
            + " Java %s. Records per run: %,d; %d partitions; broker and app on this machine."
            + " Partial sums sent every %d ms. Streams settings beyond the app's: %s.%n%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024),
        System.getProperty("java.version"), records, PARTITIONS,
        topologyConfig.partialsFlush().toMillis(), overrides.isEmpty() ? "none" : overrides));
    if (!only.equals("latency")) {
      throughputTable(report, smoke);
    }
    if (!only.equals("throughput")) {
      latencyTable(report, smoke);
    }
    return report.toString();
  }

  private void throughputTable(StringBuilder report, boolean smoke) throws Exception {
    List<Run> passThrough = new ArrayList<>();
    List<Run> avro = new ArrayList<>();
    List<Run> fixedDecisions = new ArrayList<>();
    List<Run> requestPath = new ArrayList<>();
    List<Run> alos = new ArrayList<>();
    List<Run> eos = new ArrayList<>();
    List<Double> avroRatio = new ArrayList<>();
    List<Double> fixedRatio = new ArrayList<>();
    List<Double> requestPathRatio = new ArrayList<>();
    List<Double> alosRatio = new ArrayList<>();
    List<Double> eosRatio = new ArrayList<>();
    // The broker is a JVM of its own, started with the harness: in the first round its code was
    // still being compiled, and the runs first in that round (the pass-throughs) spent about
    // three times the broker's CPU per record of the later rounds, which took the first round's
    // ratios to 0.9-1.1. An unmeasured pass-through of a few runs' records warms it first.
    measure("warm-up of the broker (not reported)", App.BYTES, StreamsConfig.AT_LEAST_ONCE, 1,
        1, inputTopics(BROKER_WARM_UP_RUNS * records), BROKER_WARM_UP_RUNS * records);
    for (int round = 1; round <= rounds; round++) {
      System.err.printf(Locale.ROOT, "round %d of %d%n", round, rounds);
      Run limit = throughput("pass-through", App.BYTES, StreamsConfig.AT_LEAST_ONCE, 1, 1);
      Run serde = throughput("Avro pass-through", App.AVRO, StreamsConfig.AT_LEAST_ONCE, 1, 1);
      Run fixed = throughput("fixed decisions", App.FIXED_DECISIONS,
          StreamsConfig.AT_LEAST_ONCE, 1, 1);
      Run requests = throughput("request path alone", App.REQUEST_PATH,
          StreamsConfig.AT_LEAST_ONCE, 1, 1);
      Run full = throughput("full topology", App.FULL, StreamsConfig.AT_LEAST_ONCE, 1, 1);
      Run fullEos = throughput("full topology", App.FULL, StreamsConfig.EXACTLY_ONCE_V2, 1, 1);
      passThrough.add(limit);
      avro.add(serde);
      avroRatio.add(serde.rate() / limit.rate());
      fixedDecisions.add(fixed);
      fixedRatio.add(fixed.rate() / limit.rate());
      requestPath.add(requests);
      requestPathRatio.add(requests.rate() / limit.rate());
      alos.add(full);
      eos.add(fullEos);
      alosRatio.add(full.rate() / limit.rate());
      eosRatio.add(fullEos.rate() / limit.rate());
    }
    double limit = median(rates(passThrough));
    Run eosThreads = throughput("full topology, 2 threads", App.FULL,
        StreamsConfig.EXACTLY_ONCE_V2, 2, 1);
    Run eosInstances = throughput("full topology, 2 instances", App.FULL,
        StreamsConfig.EXACTLY_ONCE_V2, 1, 2);
    Run fastestLimit = throughput("pass-through, max.task.idle.ms=-1", App.BYTES_NO_IDLE,
        StreamsConfig.AT_LEAST_ONCE, 1, 1);
    report.append(String.format(Locale.ROOT, "Rounds: %d; each cell of the first six rows is"
        + " the median of the rounds (their range in brackets), each ratio the median of the"
        + " rounds' ratios. The last three rows: one run each, against the median pass-through."
        + " Each run after an unmeasured run of the same app on %,d records of topics of its"
        + " own; before the first round, an unmeasured pass-through of %,d warms the broker."
        + " CPU: the app's stream threads' CPU time over the records, start-up included;"
        + " then from a tenth of the output on (as the rate is timed), the stream threads' and"
        + " all of the app's and the broker's together (on two shared cores, the rate follows"
        + " the sum). Less noisy than the rates on a shared machine: compare versions by them."
        + "%n%n",
        rounds, warmUpRecords, BROKER_WARM_UP_RUNS * records));
    report.append("| run | records/s | vs pass-through | stream-thread CPU per record |"
        + " after the first tenth: stream threads | after the first tenth: app and broker |\n"
        + "|---|---:|---:|---:|---:|---:|\n");
    report.append(row("(a) pass-through, bytes in, bytes out (at-least-once)", passThrough,
        List.of(1.0)));
    report.append(row("(a2) Avro pass-through: each request decoded and encoded again by the"
        + " app's serde, nothing else (at-least-once)", avro, avroRatio));
    report.append(row("(a3) a fixed decision per request: each request decoded, a"
        + " RoutingDecision made from it without the app's logic and encoded, nothing else"
        + " (at-least-once)", fixedDecisions, fixedRatio));
    report.append(row("(a4) the full topology's request path alone: decisions, dead letters"
        + " and partial sums sent on, no telemetry tasks, no window aggregation"
        + " (at-least-once)", requestPath, requestPathRatio));
    report.append(row("(b) full topology, at-least-once", alos, alosRatio));
    report.append(row("(b) full topology, exactly-once", eos, eosRatio));
    report.append(row("(b) full topology, exactly-once, 2 stream threads", List.of(eosThreads),
        List.of(eosThreads.rate() / limit)));
    report.append(row("(b) full topology, exactly-once, 2 instances (one JVM)",
        List.of(eosInstances), List.of(eosInstances.rate() / limit)));
    report.append(row("(a) pass-through with max.task.idle.ms=-1 (no readiness check per record:"
        + " its fastest setting, which the full topology cannot ship)", List.of(fastestLimit),
        List.of(fastestLimit.rate() / limit)));
    lastEos = median(rates(eos));
  }

  private void latencyTable(StringBuilder report, boolean smoke) throws Exception {
    report.append("\nProduce-to-decision latency, exactly-once (ms), after ")
        .append(WARM_UP_SECONDS).append(" s at the same rate that are not counted:\n\n")
        .append("| rate (requests/s) | sent | p50 | p99 | p99.9 | max |\n")
        .append("|---:|---:|---:|---:|---:|---:|\n");
    List<Integer> rates = new ArrayList<>(List.of(1_000, 10_000));
    if (lastEos > 0) {
      rates.add((int) Math.max(100, lastEos / 2));
    }
    if (smoke) {
      rates = List.of(500);
    }
    if (lastEos == 0 && !smoke) {
      // Alone, the latency runs would start on a cold JVM (the app shares it): warm it first.
      latency(2_000, 15);
    }
    for (int rate : rates) {
      report.append(latency(rate, latencySeconds));
    }
  }

  private static String row(String name, List<Run> runs, List<Double> ratios) {
    List<Double> rates = rates(runs);
    String rate = String.format(Locale.ROOT, "%,.0f", median(rates));
    if (rates.size() > 1) {
      rate += String.format(Locale.ROOT, " (%,.0f-%,.0f)", java.util.Collections.min(rates),
          java.util.Collections.max(rates));
    }
    double cpu = median(runs.stream().map(Run::streamCpuMicros).toList());
    return String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f µs | %s | %s |%n", name, rate,
        median(ratios), cpu, micros(runs.stream().map(Run::steadyStreamMicros).toList()),
        micros(runs.stream().map(Run::steadyTotalMicros).toList()));
  }

  /** The median of the runs that have the figure, or n/a if none has. */
  private static String micros(List<Double> values) {
    List<Double> measured = values.stream().filter(v -> !v.isNaN()).toList();
    return measured.isEmpty() ? "n/a"
        : String.format(Locale.ROOT, "%.2f µs", median(measured));
  }

  private static List<Double> rates(List<Run> runs) {
    return runs.stream().map(Run::rate).toList();
  }

  /**
   * One throughput run.
   *
   * @param rate output records per second, by the broker's append times, from a tenth of the
   *     way in to the last
   * @param streamCpuMicros the app's stream threads' CPU time per record, in microseconds
   * @param steadyStreamMicros the same from a tenth of the output on (NaN if the run was over
   *     before the harness saw a tenth of it)
   * @param steadyTotalMicros the app's and the broker's CPU time per record, all threads, from
   *     a tenth of the output on (NaN as above)
   */
  private record Run(double rate, double streamCpuMicros, double steadyStreamMicros,
      double steadyTotalMicros) {}

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    java.util.Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * One throughput run: records/s of output, by the times the broker appended them (the first
   * tenth, start-up included, left out), once every input record has its output; and the
   * stream threads' CPU time per record.
   *
   * <p>The same app first runs, unmeasured, on {@code --warm-up-records} records of topics of
   * its own: the apps share this JVM, and the first run of one after another kind of app paid
   * for the JIT's recompilation of the code they share (Kafka Streams', the serde's). They share
   * it because a JVM per app, warmed the same way, gave the limit far slower runs (the numbers
   * are in BENCHMARKS.md).
   */
  private Run throughput(String name, App app, String guarantee, int threads, int instances)
      throws Exception {
    measure(name + " (warm-up, not reported)", app, guarantee, threads, instances,
        inputTopics(warmUpRecords), warmUpRecords);
    return measure(name, app, guarantee, threads, instances, inputTopics(records), records);
  }

  /** Fresh topics for one run: {@code count} requests in, the output stamped on append. */
  private TopicNames inputTopics(int count) throws Exception {
    TopicNames names = TopicNames.withPrefix("bench-" + UUID.randomUUID().toString()
        .substring(0, 8) + ".");
    ChipstreamTopics topics = prepare(names);
    stampOnAppend(names.decisions());
    produce(names.requests(), requests(topics, count, Instant.now()));
    return names;
  }

  /** Runs the app on {@code names}, whose input holds {@code count} requests, and times it. */
  private Run measure(String name, App app, String guarantee, int threads, int instances,
      TopicNames names, int count) throws Exception {
    Properties props = streamsProps(names, guarantee);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    if (app == App.BYTES_NO_IDLE) {
      props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    }
    List<KafkaStreams> extra = new ArrayList<>();
    for (int i = 1; i < instances; i++) {
      Properties another = new Properties();
      another.putAll(props);
      another.put(StreamsConfig.STATE_DIR_CONFIG,
          Files.createTempDirectory(stateRoot, "s").toString());
      extra.add(new KafkaStreams(topology(names, app), another));
    }
    String applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    CpuShares cpu = CpuShares.start(applicationId, broker.pid());
    extra.forEach(KafkaStreams::start);
    try (KafkaStreams streams = new KafkaStreams(topology(names, app), props);
        KafkaConsumer<byte[], byte[]> progress = committedReader()) {
      streams.start();
      CpuShares.Spent spent;
      long[] appendedAt;
      while (true) {
        LockSupport.parkNanos(20_000_000);
        long visible = visibleOffsets(progress, names.decisions());
        if (visible >= count / 10 && visible < count) {
          // The steady state's CPU from here, as the rate is timed from a tenth of the way in.
          cpu.mark(visible);
        }
        if (visible >= count) {
          // Offsets count transaction markers too: read the records, to be sure all are out.
          spent = cpu.spent(count);
          appendedAt = appendTimes(names.decisions(), count);
          if (appendedAt.length >= count) {
            break;
          }
        }
      }
      // Timed by the broker's clock, from the append of the record a tenth of the way in to the
      // last: start-up is left out, and so is the harness's own polling and reading.
      Arrays.sort(appendedAt);
      int last = appendedAt.length - 1;
      int from = appendedAt.length / 10;
      double seconds = Math.max(1, appendedAt[last] - appendedAt[from]) / 1e3;
      long counted = last - from;
      double cpuMicros = spent.streamThreadNanos() / 1e3 / count;
      System.err.printf(Locale.ROOT, "%s %s: %,d records in %.2f s (broker append times);"
          + " %s; %s%n",
          name, guarantee, counted, seconds, spent.perRecord(),
          threadMetrics(streams));
      extra.forEach(other -> other.close(Duration.ofSeconds(30)));
      streams.close(Duration.ofSeconds(30));
      return new Run(counted / seconds, cpuMicros, spent.steadyStreamMicros(),
          spent.steadyTotalMicros());
    }
  }

  /**
   * The instance's commits so far, from Kafka Streams' thread metrics: how many, and how long
   * they took on average and at most (under exactly-once the stream thread waits on each); and
   * how many records its thread took per poll and processed per pass over its tasks.
   */
  private static String threadMetrics(KafkaStreams streams) {
    double count = 0;
    double weighted = 0;
    double max = 0;
    Map<String, Map<String, Double>> byThread = new HashMap<>();
    streams.metrics().forEach((name, metric) -> {
      if (name.group().equals("stream-thread-metrics")
          && metric.metricValue() instanceof Double value && !value.isNaN()) {
        byThread.computeIfAbsent(name.tags().get("thread-id"), t -> new HashMap<>())
            .put(name.name(), value);
      }
    });
    for (Map<String, Double> thread : byThread.values()) {
      double total = thread.getOrDefault("commit-total", 0.0);
      count += total;
      weighted += total * thread.getOrDefault("commit-latency-avg", 0.0);
      max = Math.max(max, thread.getOrDefault("commit-latency-max", 0.0));
    }
    // The loop of the first thread: records per poll and per pass over the tasks.
    Map<String, Double> first = byThread.values().stream().findFirst().orElse(Map.of());
    return String.format(Locale.ROOT, "%.0f commits, %.1f ms on average, %.0f ms at most;"
        + " %.0f polls, %.0f records per poll, %.0f per pass",
        count, count == 0 ? 0 : weighted / count, max, first.getOrDefault("poll-total", 0.0),
        first.getOrDefault("poll-records-avg", 0.0),
        first.getOrDefault("process-records-avg", 0.0));
  }

  /**
   * Has the broker stamp each record of {@code topic} with the time it appended it, so a run is
   * timed by when its output was written, not by when the harness happened to look.
   */
  private void stampOnAppend(String topic) throws Exception {
    try (Admin admin = Admin.create(clientConfig())) {
      admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
          List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
              "LogAppendTime"), AlterConfigOp.OpType.SET)))).all().get();
    }
  }

  /** What a throughput run runs. */
  private enum App {
    /** (a) the limit: bytes in, bytes out. */
    BYTES,
    /**
     * The same with {@code max.task.idle.ms=-1}, which skips Kafka Streams' readiness check on
     * every record: its fastest setting, which a one-input app can take and the full topology,
     * whose aggregation waits for its slower input, cannot (see StreamsSettings).
     */
    BYTES_NO_IDLE,
    /** (a2) each request decoded and encoded again by the app's serde: what Avro costs alone. */
    AVRO,
    /**
     * (a3) each request decoded and a {@code RoutingDecision} made from it with fixed figures
     * and reasons, encoded by the app's serde: what a decision per request costs without the
     * app's logic (validation, classification, the partial sum).
     */
    FIXED_DECISIONS,
    /**
     * (a4) the Chipstream topology's request path alone ({@code ChipstreamTopology
     * .requestPathOnly}): what the request node costs without the telemetry's tasks and the
     * window aggregation's.
     */
    REQUEST_PATH,
    /** (b) the Chipstream topology. */
    FULL
  }

  private Topology topology(TopicNames names, App app) {
    return switch (app) {
      case BYTES, BYTES_NO_IDLE -> passThrough(names.requests(), names.decisions(),
          Serdes.ByteArray(), Serdes.ByteArray());
      case AVRO -> {
        Topic<String, InferenceRequest> requests = ChipstreamTopics.create(names, client,
            serdeConfig()).requests();
        yield passThrough(requests.name(), names.decisions(), requests.keySerde(),
            requests.valueSerde());
      }
      case FIXED_DECISIONS -> fixedDecisions(ChipstreamTopics.create(names, client,
          serdeConfig()));
      case REQUEST_PATH -> ChipstreamTopology.requestPathOnly(topologyConfig,
          ChipstreamSerdes.create(names, client, serdeConfig()));
      case FULL -> ChipstreamTopology.build(topologyConfig, ChipstreamSerdes.create(names,
          client, serdeConfig()));
    };
  }

  private String latency(int rate, int seconds) throws Exception {
    TopicNames names = TopicNames.withPrefix("lat-" + UUID.randomUUID().toString()
        .substring(0, 8) + ".");
    ChipstreamTopics topics = prepare(names);
    Topology topology = ChipstreamTopology.build(topologyConfig,
        ChipstreamSerdes.create(names, client, serdeConfig()));
    List<Long> latencies = new ArrayList<>();
    long sent = 0;
    try (KafkaStreams streams = new KafkaStreams(topology,
        streamsProps(names, StreamsConfig.EXACTLY_ONCE_V2))) {
      streams.start();
      while (streams.state() != KafkaStreams.State.RUNNING) {
        LockSupport.parkNanos(10_000_000);
      }
      AtomicBoolean done = new AtomicBoolean();
      // The first seconds at the rate are sent but not counted: a fresh app's first records pay
      // for its first registry lookups, metadata fetches and transactions (start-up, not the
      // steady state this measures).
      int warmUp = rate * WARM_UP_SECONDS;
      AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
      Thread reader = new Thread(() -> readLatencies(names.decisions(), latencies, done,
          measureFrom));
      reader.start();
      int count = warmUp + rate * seconds;
      FleetSimulator fleet = new FleetSimulator(FleetConfig.defaults(11),
          ChipCatalogCsv.builtIn(Instant.now()), TokenSizes.builtIn(), RoutingPolicy.defaults(),
          Instant.now());
      try (KafkaProducer<byte[], byte[]> producer = producer()) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
          long due = start + (long) (i * 1e9 / rate);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
          Instant now = Instant.now();
          if (i == warmUp) {
            measureFrom.set(now.toEpochMilli());
          }
          InferenceRequest request = fleet.nextRequest(now);
          producer.send(new ProducerRecord<>(names.requests(), null, now.toEpochMilli(),
              request.getRequestId().getBytes(StandardCharsets.UTF_8),
              topics.requests().valueSerde().serializer().serialize(names.requests(), request)));
          if (i >= warmUp) {
            sent++;
          }
        }
        producer.flush();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        synchronized (latencies) {
          if (latencies.size() >= sent) {
            break;
          }
        }
        LockSupport.parkNanos(50_000_000);
      }
      done.set(true);
      reader.join();
      streams.close(Duration.ofSeconds(30));
    }
    long[] sorted;
    synchronized (latencies) {
      sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    }
    if (sorted.length == 0) {
      return String.format(Locale.ROOT, "| %,d | %,d | - | - | - | - |%n", rate, sent);
    }
    return String.format(Locale.ROOT, "| %,d | %,d | %d | %d | %d | %d |%n", rate, sent,
        pct(sorted, 0.50), pct(sorted, 0.99), pct(sorted, 0.999), sorted[sorted.length - 1]);
  }

  private static long pct(long[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }

  private void readLatencies(String topic, List<Long> latencies, AtomicBoolean done,
      AtomicLong measureFrom) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "lat-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config,
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (!done.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (r.timestamp() >= measureFrom.get()) {
            synchronized (latencies) {
              latencies.add(System.currentTimeMillis() - r.timestamp());
            }
          }
        }
      }
    }
  }

  private ChipstreamTopics prepare(TopicNames names) {
    ChipstreamTopics topics = ChipstreamTopics.create(names, client, serdeConfig());
    TopicAdmin.ensure(clientConfig(), names, PARTITIONS);
    new CatalogLoader(clientConfig(), topics.catalog()).load(ChipCatalogCsv.builtIn(
        Instant.now()));
    return topics;
  }

  /** Serialised requests from the fleet simulator, keyed by request id; event time "now". */
  private List<byte[][]> requests(ChipstreamTopics topics, int count, Instant now) {
    FleetSimulator fleet = new FleetSimulator(FleetConfig.defaults(7),
        ChipCatalogCsv.builtIn(now), TokenSizes.builtIn(), RoutingPolicy.defaults(), now);
    List<byte[][]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      InferenceRequest request = fleet.nextRequest(now);
      out.add(new byte[][] {request.getRequestId().getBytes(StandardCharsets.UTF_8),
          topics.requests().valueSerde().serializer().serialize(topics.requests().name(),
              request)});
    }
    return out;
  }

  private void produce(String topic, List<byte[][]> input) {
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (byte[][] kv : input) {
        producer.send(new ProducerRecord<>(topic, kv[0], kv[1]));
      }
      producer.flush();
    }
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> config = new HashMap<>(clientConfig());
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private KafkaConsumer<byte[], byte[]> committedReader() {
    Map<String, Object> config = new HashMap<>(clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The sum of the last stable offsets: cheap progress (it counts transaction markers too). */
  private static long visibleOffsets(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo p : consumer.partitionsFor(topic)) {
      partitions.add(new TopicPartition(topic, p.partition()));
    }
    return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
  }

  /** The broker's append time of every committed record of {@code topic}, read once. */
  private long[] appendTimes(String topic, int expected) {
    Map<String, Object> config = new HashMap<>(clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config,
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(topic)) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long[] times = new long[expected];
      int n = 0;
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (r.timestampType() != TimestampType.LOG_APPEND_TIME) {
            throw new IllegalStateException(topic + " is not stamped on append");
          }
          if (n == times.length) {
            times = Arrays.copyOf(times, n * 2);
          }
          times[n++] = r.timestamp();
        }
      }
      return Arrays.copyOf(times, n);
    }
  }

  /**
   * Each record of {@code from} written to {@code to} as it was read through {@code keys} and
   * {@code values}, nothing else. With byte-array serdes, (a): the limit. With the app's Avro
   * serde for requests, (a2): each request decoded (its schema fetched by id once) and written
   * again, as an {@code InferenceRequest}, to the decisions' topic, what reading and writing Avro
   * costs without the app's work.
   */
  private static <K, V> Topology passThrough(String from, String to, Serde<K> keys,
      Serde<V> values) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(from, Consumed.with(keys, values).withName("bench-source"))
        .to(to, Produced.with(keys, values).withName("bench-sink"));
    return builder.build();
  }

  /**
   * (a3): each request read with the app's serde, one node that makes a {@code RoutingDecision}
   * of it ({@code ClassifyStep}'s own record of one fixed decision for the request), and the
   * decision written with the app's serde. The same records in and out as the full topology,
   * without its logic.
   */
  private static Topology fixedDecisions(ChipstreamTopics topics) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(topics.requests().name(), Consumed.with(topics.requests().keySerde(),
            topics.requests().valueSerde()).withName("bench-source"))
        .mapValues(EndToEndBenchmark::fixedDecision, Named.as("bench-fixed-decision"))
        .to(topics.decisions().name(), Produced.with(topics.decisions().keySerde(),
            topics.decisions().valueSerde()).withName("bench-sink"));
    return builder.build();
  }

  private static RoutingDecision fixedDecision(InferenceRequest request) {
    return ClassifyStep.toRecord(request, FIXED_DECISION, POLICY);
  }

  private Properties streamsProps(TopicNames names, String guarantee) throws IOException {
    // The app's own settings (StreamsSettings), so the run measures the app as shipped.
    Properties props = new StreamsSettings(broker.bootstrapServers(), registry.url(),
        "bench-" + UUID.randomUUID(), Files.createTempDirectory(stateRoot, "s"), guarantee, 1,
        PARTITIONS, names, topologyConfig, Map.of()).streamsProperties();
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.putAll(overrides);
    return props;
  }

  private Map<String, Object> clientConfig() {
    return Map.of("bootstrap.servers", broker.bootstrapServers());
  }

  private Map<String, Object> serdeConfig() {
    return Map.of("schema.registry.url", registry.url());
  }

  private void close() {
    client.close();
    registry.close();
    broker.close();
    StateGrowth.delete(stateRoot);
  }
}
