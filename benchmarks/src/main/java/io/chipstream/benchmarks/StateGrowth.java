package io.chipstream.benchmarks;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.avro.Workload;
import io.chipstream.catalog.ChipCatalogCsv;
import io.chipstream.config.Durations;
import io.chipstream.schema.registry.InMemorySchemaRegistryClient;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.TopicNames;
import io.chipstream.streams.ChipstreamSerdes;
import io.chipstream.streams.ChipstreamTopology;
import io.chipstream.streams.EmitMode;
import io.chipstream.streams.TopologyConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * How the app's state grows with the number of windows and chip families: the real topology and
 * its RocksDB stores on Kafka Streams' {@link TopologyTestDriver}, fed one telemetry sample per
 * family per second of event time, the wall clock keeping up. Reports the live entries of the
 * window and baseline stores, the span of windows held, and RocksDB's own size figures
 * (memtables, SST files) for them, at the end of the run. Without the record cache, which would
 * answer for windows it still holds whatever their age (it is bounded by its size, 10 MB by
 * default, and a restart starts it empty).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.chipstream.benchmarks.StateGrowth
 *     [--minutes 90] [--out state.md] [--smoke]</pre>
 */
public final class StateGrowth {
  /** One chip per family that reports telemetry, x86 first (the baseline). */
  private static final List<String> CHIPS = List.of("xeon-8480", "graviton3", "inferentia2",
      "trainium2", "h100-sxm", "m2-ultra", "a17-pro");
  private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");

  private StateGrowth() {}

  public static void main(String[] args) throws Exception {
    report(args);
  }

  public static String report(String[] args) throws IOException {
    HarnessArgs options = new HarnessArgs(args);
    boolean smoke = options.has("--smoke");
    int minutes = options.intValue("--minutes", smoke ? 3 : 90);
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "Windows of 1 minute with 30 s of grace, kept %s (the retention), eager results; %d"
            + " minutes of event time, one telemetry sample per family per second.%n%n"
            + "| advance | windows per record | families | window-store entries"
            + " | baseline-store entries | oldest window (min before the newest)"
            + " | RocksDB memtables (KiB) | RocksDB SST files (KiB) |%n"
            + "|---:|---:|---:|---:|---:|---:|---:|---:|%n",
        Durations.format(TopologyConfig.DEFAULT_RETENTION), minutes));
    List<Integer> advances = smoke ? List.of(60) : List.of(60, 10, 1);
    List<Integer> families = smoke ? List.of(1, 7) : List.of(1, 4, 7);
    for (int advance : advances) {
      for (int count : families) {
        out.append(run(minutes, Duration.ofSeconds(advance), count));
      }
    }
    if (!smoke) {
      out.append(run(minutes * 4, Duration.ofSeconds(10), 7).replace("| 10 s |",
          "| 10 s, " + minutes * 4 + " min |"));
    }
    return options.publish(out.toString());
  }

  private static String run(int minutes, Duration advance, int familyCount) throws IOException {
    Path state = Files.createTempDirectory("chipstream-state-growth");
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    ChipstreamSerdes serdes = ChipstreamSerdes.create(TopicNames.DEFAULT, registry,
        Map.of("schema.registry.url", "http://in-memory"));
    ChipstreamTopics topics = serdes.topics();
    TopologyConfig config = TopologyConfig.defaults().withCatalogRefresh(Duration.ZERO)
        .withWindows(Duration.ofMinutes(1), advance, Duration.ofSeconds(30), EmitMode.EAGER);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "state-growth");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    long windowEntries;
    long heldMinutes;
    long baselineEntries;
    double memTables;
    double sstFiles;
    try (TopologyTestDriver driver = new TopologyTestDriver(
        ChipstreamTopology.build(config, serdes), props, T0)) {
      TestInputTopic<String, ChipCapability> catalog = driver.createInputTopic(
          topics.catalog().name(), new StringSerializer(),
          topics.catalog().valueSerde().serializer());
      for (ChipCapability chip : ChipCatalogCsv.builtIn(T0)) {
        catalog.pipeInput(chip.getChipModel(), chip, T0);
      }
      TestInputTopic<String, TelemetrySample> telemetry = driver.createInputTopic(
          topics.telemetry().name(), new StringSerializer(),
          topics.telemetry().valueSerde().serializer());
      for (int second = 0; second < minutes * 60; second++) {
        Instant at = T0.plusSeconds(second);
        for (String chip : CHIPS.subList(0, familyCount)) {
          telemetry.pipeInput(chip + "-node", TelemetrySample.newBuilder()
              .setSourceId(chip + "-node").setChipModel(chip).setTimestamp(at)
              .setIntervalMs(1_000).setWorkload(Workload.INFERENCE).setAvgPowerWatts(200)
              .setUtilization(0.5).setTokensProcessed(2_000).setRequestsCompleted(5).build(), at);
        }
        // The wall clock keeps up with event time (samples ahead of it by more than five minutes
        // are rejected) and sends each second's sums on to the windows.
        driver.advanceWallClockTime(Duration.ofSeconds(1));
      }
      long rejected = driver.createOutputTopic(topics.deadLetters().name(),
          new ByteArrayDeserializer(), new ByteArrayDeserializer()).getQueueSize();
      if (rejected > 0) {
        throw new IllegalStateException(rejected + " samples went to the dead-letter topic");
      }
      long oldest = Long.MAX_VALUE;
      long newest = Long.MIN_VALUE;
      windowEntries = 0;
      try (KeyValueIterator<Windowed<Object>, Object> windows =
          driver.getWindowStore(ChipstreamTopology.FAMILY_WINDOW_STORE).all()) {
        while (windows.hasNext()) {
          long start = windows.next().key.window().start();
          oldest = Math.min(oldest, start);
          newest = Math.max(newest, start);
          windowEntries++;
        }
      }
      heldMinutes = windowEntries == 0 ? 0 : Duration.ofMillis(newest - oldest).toMinutes();
      baselineEntries = count(driver.getKeyValueStore(ChipstreamTopology.WINDOW_BASELINE_STORE)
          .all());
      memTables = rocksDbMetric(driver, "size-all-mem-tables");
      sstFiles = rocksDbMetric(driver, "total-sst-files-size");
    }
    delete(state);
    return String.format(Locale.ROOT, "| %d s | %d | %d | %,d | %,d | %d | %,.0f | %,.0f |%n",
        advance.toSeconds(), Duration.ofMinutes(1).dividedBy(advance), familyCount,
        windowEntries, baselineEntries, heldMinutes, memTables / 1024.0, sstFiles / 1024.0);
  }

  /** A RocksDB property metric summed over the app's RocksDB stores. */
  private static double rocksDbMetric(TopologyTestDriver driver, String name) {
    return driver.metrics().entrySet().stream()
        .filter(e -> e.getKey().group().equals("stream-state-metrics")
            && e.getKey().name().equals(name))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
  }

  private static <K> long count(KeyValueIterator<K, ?> iterator) {
    long n = 0;
    try (iterator) {
      while (iterator.hasNext()) {
        iterator.next();
        n++;
      }
    }
    return n;
  }

  /** Removes {@code dir} and everything in it (the harnesses' state folders). */
  static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
