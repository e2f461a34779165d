package io.chipstream.streams;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.Topic;
import io.chipstream.streams.aggregate.BaselineProcessor;
import io.chipstream.streams.aggregate.Observations;
import io.chipstream.streams.aggregate.PartialSumsStore;
import io.chipstream.streams.aggregate.SlotPartials;
import io.chipstream.streams.aggregate.SlotPartialsProcessor;
import io.chipstream.streams.avro.FamilyWindowAggregate;
import io.chipstream.streams.classify.ClassifyStep;
import io.chipstream.classify.Classifier;
import io.chipstream.streams.validate.Checked;
import io.chipstream.streams.validate.DeadLetterProcessor;
import io.chipstream.streams.validate.Invalid;
import io.chipstream.streams.validate.RejectReason;
import io.chipstream.streams.validate.RequestValidator;
import io.chipstream.streams.validate.TelemetryValidator;
import io.chipstream.streams.validate.ValidateProcessor;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.Suppressed.BufferConfig;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Chipstream's topology, as a pure function of its configuration and serdes: no I/O here, so
 * the app, the tests and the benchmarks build the same thing.
 *
 * <pre>
 * chip-catalog ──► GlobalKTable (chip-catalog-store)
 * inference-requests ─► validate, classify (chips from the catalog), sum per family and slot
 *   ├─► decisions ─► routing-decisions                              (one processor node)
 *   ├─► sums ─► request-sums-by-family (repartition) ───────────────────────────────────────┐
 *   └─► dead letters ─► chipstream-dlq                                                       │
 * fleet-telemetry ─► validate ─┬─► join chip ─┬─► telemetry observation                      │
 *                              └─► dead letters └─► unknown chip: dead letters               │
 *   telemetry observation ─► sums per family and slot ─► telemetry-sums-by-family ──► merge ◄┘
 *   merged sums ─► window aggregate per family ─► compare with x86 / GPU baseline
 *               ─► chip-efficiency                                 (all in the one task)
 * </pre>
 *
 * Every processor, store and repartition topic is named (see the checked-in {@code
 * topology.txt}), so a rename is a reviewed change and internal topics keep their names across
 * versions.
 */
public final class ChipstreamTopology {
  public static final String CATALOG_STORE = "chip-catalog-store";
  public static final String FAMILY_WINDOW_STORE = "family-window-store";
  public static final String WINDOW_BASELINE_STORE = "window-baseline-store";
  public static final String REQUEST_PARTIALS_STORE = "request-slot-partials-store";
  public static final String TELEMETRY_PARTIALS_STORE = "telemetry-slot-partials-store";
  /** The processors a validating node sends its records to, by name (see ValidateProcessor). */
  private static final String DECISIONS_SINK = "decisions-sink";
  private static final String JOIN_TELEMETRY_CHIP = "join-telemetry-chip";
  private static final String REQUEST = "request";
  private static final String TELEMETRY = "telemetry";
  /** How long, in wall-clock time, a final record waits for its window's x86 baseline. */
  static final java.time.Duration BASELINE_HOLD = java.time.Duration.ofSeconds(5);

  private ChipstreamTopology() {}

  public static Topology build(TopologyConfig config, ChipstreamSerdes serdes) {
    StreamsBuilder builder = new StreamsBuilder();
    ChipstreamTopics topics = serdes.topics();
    GlobalKTable<String, ChipCapability> catalog = catalog(builder, topics);

    // A sub-topology per input topic, each summing its own records, merged only after the
    // repartitions: a task that reads one input partition processes it without waiting for (and,
    // in Kafka Streams, formatting log lines about) an often empty partition of the other.
    KStream<String, FamilyWindowAggregate> requestSums = requestPath(builder, config, serdes);
    builder.addStateStore(PartialSumsStore.builder(TELEMETRY_PARTIALS_STORE,
        serdes.aggregate()));
    KStream<String, FamilyWindowAggregate> telemetrySums = toSumsPartition(serdes,
        telemetryObservations(builder, config, topics, catalog)
            .process(() -> new SlotPartialsProcessor<>(partials(config, TELEMETRY_PARTIALS_STORE,
                    SlotPartials.OBSERVATIONS)),
                Named.as("sum-telemetry-by-family-slot"), TELEMETRY_PARTIALS_STORE),
        TELEMETRY);

    efficiency(builder, config, serdes,
        requestSums.merge(telemetrySums, Named.as("merge-family-sums")));
    return builder.build();
  }

  /**
   * The requests' path alone, as in {@link #build}: decisions, dead letters and the partial
   * sums sent to their repartition topic, which nothing here reads (no telemetry, no window
   * aggregation). Not an app: the end-to-end benchmark runs it to split the full topology's
   * cost between the request path and the rest.
   */
  public static Topology requestPathOnly(TopologyConfig config, ChipstreamSerdes serdes) {
    StreamsBuilder builder = new StreamsBuilder();
    catalog(builder, serdes.topics());
    requestPath(builder, config, serdes);
    return builder.build();
  }

  private static GlobalKTable<String, ChipCapability> catalog(StreamsBuilder builder,
      ChipstreamTopics topics) {
    return builder.globalTable(topics.catalog().name(),
        Consumed.with(topics.catalog().keySerde(), topics.catalog().valueSerde())
            .withName("catalog-source"),
        Materialized.<String, ChipCapability>as(Stores.inMemoryKeyValueStore(CATALOG_STORE))
            .withKeySerde(topics.catalog().keySerde())
            .withValueSerde(topics.catalog().valueSerde()));
  }

  /**
   * The requests, classified; their decisions to their topic; and their partial sums, returned
   * as read back from the sums' repartition topic.
   */
  private static KStream<String, FamilyWindowAggregate> requestPath(StreamsBuilder builder,
      TopologyConfig config, ChipstreamSerdes serdes) {
    ChipstreamTopics topics = serdes.topics();
    builder.addStateStore(PartialSumsStore.builder(REQUEST_PARTIALS_STORE, serdes.aggregate()));
    KStream<String, Object> classified = classifiedRequests(builder, config, topics);
    KStream<String, RoutingDecision> decisions = routed(classified);
    decisions.to(topics.decisions().name(), Produced.with(topics.decisions().keySerde(),
        topics.decisions().valueSerde()).withName(DECISIONS_SINK));
    // Decisions are added to their family's sum in the node that makes them (ClassifyStep).
    return toSumsPartition(serdes, routed(classified), REQUEST);
  }

  /**
   * Requests validated, classified and summed in one node (see ValidateProcessor): the
   * classifier looks the device chip up in its decoded copy of the catalog's global store (see
   * ClassifyStep), sends each decision to the decisions' sink and adds it to its family's
   * partial sum, whose flushes go to the sums' repartition. Rejected requests go to the
   * dead-letter processor.
   */
  private static KStream<String, Object> classifiedRequests(StreamsBuilder builder,
      TopologyConfig config, ChipstreamTopics topics) {
    RequestValidator validator = new RequestValidator(config.limits());
    Classifier classifier = new Classifier(config.policy());
    KStream<String, Object> classified = builder
        .stream(topics.requests().name(),
            Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("requests-source"))
        .process(() -> new ValidateProcessor<>(topics.requests().valueSerde().deserializer(),
                validator::check, r -> r.getTimestamp().toEpochMilli(),
                new ClassifyStep(classifier, CATALOG_STORE, config.catalogRefresh(),
                    DECISIONS_SINK,
                    partials(config, REQUEST_PARTIALS_STORE, SlotPartials.DECISIONS),
                    sumsRepartitionNode(REQUEST)),
                deadLetterNode("requests")),
            Named.as("validate-and-classify-requests"), REQUEST_PARTIALS_STORE);
    deadLetters(routed(classified), topics.deadLetters(), "requests");
    return classified;
  }

  private static <V> SlotPartials<V> partials(TopologyConfig config, String store,
      SlotPartials.Summing<V> summing) {
    return new SlotPartials<>(store, config.windowSize(), config.windowAdvance(),
        config.partialsFlush(), summing);
  }

  /**
   * The output of a validating node, as one of its children reads it: each child gets only the
   * records sent to it by name (decisions, partial sums, or rejected records), so the node's
   * output type is the union of them and each child's view is a cast.
   */
  @SuppressWarnings("unchecked")
  private static <V> KStream<String, V> routed(KStream<String, Object> stream) {
    return (KStream<String, V>) (KStream<String, ?>) stream;
  }

  private static KStream<String, FamilyWindowAggregate> telemetryObservations(
      StreamsBuilder builder, TopologyConfig config, ChipstreamTopics topics,
      GlobalKTable<String, ChipCapability> catalog) {
    TelemetryValidator validator = new TelemetryValidator(config.limits());
    KStream<String, Checked<TelemetrySample>> checked = routed(builder
        .stream(topics.telemetry().name(),
            Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("telemetry-source"))
        .process(() -> new ValidateProcessor<>(topics.telemetry().valueSerde().deserializer(),
                validator::check, s -> s.getTimestamp().toEpochMilli(),
                ValidateProcessor.<TelemetrySample>forwardTo(JOIN_TELEMETRY_CHIP),
                deadLetterNode("telemetry")),
            Named.as("validate-telemetry")));
    deadLetters(checked, topics.deadLetters(), "telemetry");

    // An unknown chip is a rejected sample, not a silent drop: a left join keeps it to say so.
    Map<String, KStream<String, SampleWithChip>> joined = checked
        .leftJoin(catalog, (sourceId, sample) -> sample.value().getChipModel(),
            SampleWithChip::new, Named.as(JOIN_TELEMETRY_CHIP))
        .split(Named.as("telemetry-chip-"))
        .branch((key, value) -> value.chip() != null, Branched.as("known"))
        .defaultBranch(Branched.as("unknown"));
    deadLetters(joined.get("telemetry-chip-unknown").mapValues(
        v -> v.sample().reject(new Invalid(RejectReason.UNKNOWN_CHIP, "chip '"
            + v.sample().value().getChipModel() + "' is not in the catalog")),
        Named.as("unknown-chip")), topics.deadLetters(), "unknown-chip");

    return joined.get("telemetry-chip-known").map(
        (sourceId, v) -> KeyValue.pair(v.chip().getChipFamily().name(),
            Observations.of(v.sample().value(), v.chip())),
        Named.as("telemetry-observation"));
  }

  private static <T> void deadLetters(KStream<String, Checked<T>> rejected,
      Topic<byte[], byte[]> dlq, String name) {
    rejected
        .process(DeadLetterProcessor<T>::new, Named.as(deadLetterNode(name)))
        .to(dlq.name(), Produced.with(dlq.keySerde(), dlq.valueSerde())
            .withName(deadLetterNode(name) + "-sink"));
  }

  private static String deadLetterNode(String name) {
    return "dead-letter-" + name;
  }

  /**
   * Sends one input's partial sums (per family and slot, see SlotPartials), keyed by family, to
   * a one-partition topic. Keyed by family, so this step repartitions: every sum of a family
   * meets in one task. One partition: there are only eight families, and one stream time for
   * all of them means every family's window closes together (a quiet partition would hold its
   * windows open). Summed first, so that the partition carries a few partial sums a second, not
   * a record per request.
   */
  private static KStream<String, FamilyWindowAggregate> toSumsPartition(
      ChipstreamSerdes serdes, KStream<String, FamilyWindowAggregate> sums, String input) {
    return sums.repartition(Repartitioned.with(Serdes.String(), serdes.aggregate())
        .withName(sumsTopic(input)).withNumberOfPartitions(1));
  }

  private static String sumsTopic(String input) {
    return input + "-sums-by-family";
  }

  /**
   * The first node of an input's sums repartition, to which a node that makes sums among other
   * records sends them by name: the name Kafka Streams gives the filter it puts before a
   * repartition's sink (checked by the topology snapshot, and by every test that runs the
   * topology, since an unknown child name fails the first flush).
   */
  private static String sumsRepartitionNode(String input) {
    return sumsTopic(input) + "-repartition-filter";
  }

  private static void efficiency(StreamsBuilder builder, TopologyConfig config,
      ChipstreamSerdes serdes, KStream<String, FamilyWindowAggregate> sums) {
    Topic<String, ChipFamilyEfficiency> output = serdes.topics().efficiency();
    TimeWindows windows = TimeWindows
        .ofSizeAndGrace(config.windowSize(), config.grace())
        .advanceBy(config.windowAdvance());
    boolean finalOnly = config.emitMode() == EmitMode.FINAL;

    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(WINDOW_BASELINE_STORE), Serdes.String(),
        serdes.windowFamilies()));

    // The sums arrive already keyed by family on one partition each (see partialSums), so the
    // grouping does not repartition again.
    KTable<Windowed<String>, FamilyWindowAggregate> perFamily = sums
        .groupByKey(Grouped.with("family-groups", Serdes.String(), serdes.aggregate()))
        .windowedBy(windows)
        .aggregate(() -> Observations.empty(""),
            (family, observation, aggregate) -> Observations.merge(aggregate, observation),
            Named.as("aggregate-family-window"),
            Materialized.<String, FamilyWindowAggregate, WindowStore<Bytes, byte[]>>as(
                    FAMILY_WINDOW_STORE)
                .withKeySerde(Serdes.String())
                .withValueSerde(serdes.aggregate())
                // As far back as the queries read (an hour by default), not just the open
                // windows: a restore keeps no more than this. RocksDB drops windows a segment
                // (half the retention) at a time, so it holds up to one and a half of it.
                .withRetention(config.retention()));
    // Final mode holds each window's result until the window closes (end + grace). Suppression
    // rather than EmitStrategy.onWindowClose(): the latter's first emission scans the window
    // store from the epoch, segment by segment, which takes seconds.
    if (finalOnly) {
      perFamily = perFamily.suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded())
          .withName("final-family-window"));
    }
    perFamily
        .toStream(Named.as("family-window-results"))
        .map((Windowed<String> window, FamilyWindowAggregate aggregate) -> KeyValue.pair(
                Long.toString(window.window().start()),
                withWindow(aggregate, window, finalOnly)),
            Named.as("key-by-window"))
        // Keyed by window start, for the baseline's store. Not repartitioned: the aggregation
        // runs in one task, so every family of a window is already here (a repartition would
        // add a hop, a commit's wait under exactly once, and a task polled with nothing to do).
        .process(() -> new BaselineProcessor(WINDOW_BASELINE_STORE, config.emitMode(),
            config.grace(), config.windowAdvance(), BASELINE_HOLD),
            Named.as("compare-with-baseline"), WINDOW_BASELINE_STORE)
        .to(output.name(), Produced.with(output.keySerde(), output.valueSerde())
            .withName("efficiency-sink"));
  }

  private static FamilyWindowAggregate withWindow(FamilyWindowAggregate aggregate,
      Windowed<String> window, boolean isFinal) {
    return FamilyWindowAggregate.newBuilder(aggregate)
        .setFamily(window.key())
        .setWindowStart(window.window().start())
        .setWindowEnd(window.window().end())
        .setIsFinal(isFinal)
        .build();
  }

  /** A valid sample and its chip's catalog row (null if unknown). */
  private record SampleWithChip(Checked<TelemetrySample> sample, ChipCapability chip) {}

}
