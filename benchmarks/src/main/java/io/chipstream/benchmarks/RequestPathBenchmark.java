package io.chipstream.benchmarks;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.catalog.ChipCatalogCsv;
import io.chipstream.classify.Classifier;
import io.chipstream.classify.RoutingPolicy;
import io.chipstream.producers.fleet.FleetConfig;
import io.chipstream.producers.fleet.FleetSimulator;
import io.chipstream.producers.trace.TokenSizes;
import io.chipstream.schema.registry.InMemorySchemaRegistryClient;
import io.chipstream.schema.topics.TopicNames;
import io.chipstream.streams.ChipstreamSerdes;
import io.chipstream.streams.ChipstreamTopology;
import io.chipstream.streams.TopologyConfig;
import io.chipstream.streams.aggregate.PartialSumsStore;
import io.chipstream.streams.aggregate.SlotPartials;
import io.chipstream.streams.avro.FamilyWindowAggregate;
import io.chipstream.streams.classify.ClassifyStep;
import io.chipstream.streams.validate.RequestValidator;
import io.chipstream.streams.validate.ValidateProcessor;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A request's path through the topology's own code, without Kafka: the app's processor node
 * ({@code validate-and-classify-requests}: decode, validate, classify against the built-in
 * catalog, add to the partial sum) on Kafka Streams' {@code MockProcessorContext}, and the
 * decision encoded as the decisions' sink would. What the code costs per request, measured
 * steadily: the end-to-end harness shares the machine with the broker, whose noise is larger
 * than most changes to this path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestPathBenchmark {
  private static final int REQUESTS = 4096;

  private MockProcessorContext<String, Object> context;
  private ValidateProcessor<InferenceRequest> node;
  private Serializer<RoutingDecision> decisions;
  private byte[][] keys;
  private byte[][] values;
  private long timestamp;
  private int next;

  @Setup
  public void setUp() throws Exception {
    TopologyConfig config = TopologyConfig.defaults();
    ChipstreamSerdes serdes = ChipstreamSerdes.create(TopicNames.DEFAULT,
        new InMemorySchemaRegistryClient(), Map.of("schema.registry.url", "http://in-memory"));
    context = new MockProcessorContext<>();
    context.setRecordMetadata(TopicNames.DEFAULT.requests(), 0, 0);

    KeyValueStore<String, ValueAndTimestamp<ChipCapability>> catalog = Stores
        .timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore(
            ChipstreamTopology.CATALOG_STORE), Serdes.String(),
            serdes.topics().catalog().valueSerde())
        .withLoggingDisabled().withCachingDisabled().build();
    catalog.init(context.getStateStoreContext(), catalog);
    context.addStateStore(catalog);
    Instant now = Instant.now();
    for (ChipCapability chip : ChipCatalogCsv.builtIn(now)) {
      catalog.put(chip.getChipModel(), ValueAndTimestamp.make(chip, now.toEpochMilli()));
    }
    PartialSumsStore partials = unloggedPartials(serdes);
    partials.init(context.getStateStoreContext(), partials);
    context.addStateStore(partials);

    node = new ValidateProcessor<>(serdes.topics().requests().valueSerde().deserializer(),
        new RequestValidator(config.limits())::check, r -> r.getTimestamp().toEpochMilli(),
        new ClassifyStep(new Classifier(config.policy()), ChipstreamTopology.CATALOG_STORE,
            config.catalogRefresh(), "decisions-sink",
            new SlotPartials<>(ChipstreamTopology.REQUEST_PARTIALS_STORE, config.windowSize(),
                config.windowAdvance(), config.partialsFlush(), SlotPartials.DECISIONS),
            "sums"),
        "dead-letters");
    context.setCurrentSystemTimeMs(now.toEpochMilli());
    node.init(context);
    decisions = serdes.topics().decisions().valueSerde().serializer();

    FleetSimulator fleet = new FleetSimulator(FleetConfig.defaults(7), ChipCatalogCsv.builtIn(now),
        TokenSizes.builtIn(), RoutingPolicy.defaults(), now);
    Serializer<InferenceRequest> requests = serdes.topics().requests().valueSerde().serializer();
    keys = new byte[REQUESTS][];
    values = new byte[REQUESTS][];
    for (int i = 0; i < REQUESTS; i++) {
      InferenceRequest request = fleet.nextRequest(now);
      keys[i] = request.getRequestId().getBytes(StandardCharsets.UTF_8);
      values[i] = requests.serialize(TopicNames.DEFAULT.requests(), request);
    }
    timestamp = now.toEpochMilli();
  }

  /**
   * The partial sums' store with its changelog left out: the mock context cannot log, and no
   * request writes to it (it holds only sums an earlier version left there). Its builder
   * refuses that on purpose, so the benchmark makes the store itself.
   */
  private static PartialSumsStore unloggedPartials(ChipstreamSerdes serdes) throws Exception {
    TimestampedKeyValueStore<String, FamilyWindowAggregate> durable = Stores
        .timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore(
            ChipstreamTopology.REQUEST_PARTIALS_STORE), Serdes.String(), serdes.aggregate())
        .withLoggingDisabled().build();
    Constructor<PartialSumsStore> make = PartialSumsStore.class.getDeclaredConstructor(
        TimestampedKeyValueStore.class);
    make.setAccessible(true);
    return make.newInstance(durable);
  }

  /** One request: decoded, validated, classified, summed, and its decision encoded. */
  @Benchmark
  public byte[] request() {
    int i = next++ & (REQUESTS - 1);
    node.process(new Record<>(keys[i], values[i], timestamp));
    var forwarded = context.forwarded();
    byte[] out = null;
    for (CapturedForward<?, ?> forward : forwarded) {
      if (forward.record().value() instanceof RoutingDecision decision) {
        out = decisions.serialize(TopicNames.DEFAULT.decisions(), decision);
      }
    }
    if (out == null) {
      throw new IllegalStateException("no decision for request " + i + ": " + forwarded);
    }
    context.resetForwards();
    return out;
  }
}
