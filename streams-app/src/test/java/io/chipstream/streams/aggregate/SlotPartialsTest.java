package io.chipstream.streams.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.schema.Examples;
import io.chipstream.schema.registry.InMemorySchemaRegistryClient;
import io.chipstream.schema.serde.AvroSerde;
import io.chipstream.streams.avro.FamilyWindowAggregate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A task's partial sums: held per family and slot, sent on at each wall-clock flush and before
 * each commit, oldest first, and equal to the records' observations merged one by one.
 */
class SlotPartialsTest {
  private static final String STORE = "partials";
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final AvroSerde<FamilyWindowAggregate> serde = AvroSerde.specific(
      FamilyWindowAggregate.class, new InMemorySchemaRegistryClient())
      .configured(Map.of("schema.registry.url", "mock://unused"), false);
  private final MockProcessorContext<String, FamilyWindowAggregate> context =
      new MockProcessorContext<>();
  private final TimestampedKeyValueStore<String, FamilyWindowAggregate> durable = Stores
      .timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(),
          serde)
      .withLoggingDisabled().build();
  private final PartialSumsStore store = PartialSumsStore.wrapping(durable);
  private final SlotPartials<RoutingDecision> partials = new SlotPartials<>(STORE, MINUTE,
      MINUTE, Duration.ofMillis(100), SlotPartials.DECISIONS);

  private void init() {
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    partials.init(context, null);
  }

  @AfterEach
  void close() {
    store.close();
    serde.close();
  }

  @Test
  void recordsOfOneFlushAreOneSumPerFamilyAndSlotEqualToTheirObservationsMerged() {
    init();
    List<RoutingDecision> apple = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      RoutingDecision decision = decision("a" + i, ChipFamily.APPLE_A_SERIES, i, 5 + i);
      apple.add(decision);
      partials.add(decision, T0.plusSeconds(i).toEpochMilli());
    }
    partials.add(decision("g", ChipFamily.GRAVITON, 1, 1), T0.plusSeconds(10).toEpochMilli());
    partials.add(decision("next", ChipFamily.APPLE_A_SERIES, 1, 1),
        T0.plusSeconds(61).toEpochMilli());
    assertThat(context.forwarded()).as("nothing sent before the flush").isEmpty();

    punctuate();

    List<CapturedForward<? extends String, ? extends FamilyWindowAggregate>> sent =
        context.forwarded();
    assertThat(sent).extracting(f -> (String) f.record().key())
        .as("one sum per family and minute, oldest first")
        .containsExactly("GRAVITON", "APPLE_A_SERIES", "APPLE_A_SERIES");
    FamilyWindowAggregate merged = Observations.empty("APPLE_A_SERIES");
    for (RoutingDecision decision : apple) {
      FamilyWindowAggregate one = Observations.empty("APPLE_A_SERIES");
      Observations.add(one, decision);
      merged = Observations.merge(merged, one);
    }
    assertThat(sent.get(1).record().value()).as("field by field").isEqualTo(merged);
    assertThat(sent.get(1).record().value().getReasonCounts())
        .as("reasons counted by ordinal while held, in the map when sent")
        .containsOnly(Map.entry("LOW_BATTERY", 30L), Map.entry("OBJECTIVE_ENERGY", 30L));
    assertThat(sent.get(1).record().timestamp()).as("the latest event time of its records")
        .isEqualTo(T0.plusSeconds(29).toEpochMilli());
    assertThat(sent.get(2).record().value().getRequests()).isEqualTo(1);

    context.resetForwards();
    punctuate();
    assertThat(context.forwarded()).as("sent once").isEmpty();
  }

  @Test
  void olderSlotsAreSentFirstWhateverTheOrderOfTheirRecords() {
    init();
    partials.add(decision("next-minute", ChipFamily.APPLE_A_SERIES, 1, 1),
        T0.plusSeconds(65).toEpochMilli());
    partials.add(decision("first-minute", ChipFamily.APPLE_A_SERIES, 1, 1),
        T0.plusSeconds(30).toEpochMilli());
    punctuate();
    assertThat(context.forwarded()).extracting(f -> f.record().timestamp())
        .containsExactly(T0.plusSeconds(30).toEpochMilli(), T0.plusSeconds(65).toEpochMilli());
  }

  @Test
  void hoppingWindowsSumPerSlotSoASumFallsInTheSameWindowsAsEachOfItsRecords() {
    // Windows of 90 s every 60 s: [0, 90) and [60, 150); slots of gcd(90, 60) = 30 s.
    SlotPartials<RoutingDecision> hopping = new SlotPartials<>(STORE, Duration.ofSeconds(90),
        MINUTE, Duration.ofMillis(100), SlotPartials.DECISIONS);
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    hopping.init(context, null);
    hopping.add(decision("both", ChipFamily.APPLE_A_SERIES, 1, 1),
        T0.plusSeconds(70).toEpochMilli());
    hopping.add(decision("both-too", ChipFamily.APPLE_A_SERIES, 1, 1),
        T0.plusSeconds(89).toEpochMilli());
    hopping.add(decision("second-only", ChipFamily.APPLE_A_SERIES, 1, 1),
        T0.plusSeconds(95).toEpochMilli());
    store.flushCache();
    assertThat(context.forwarded()).extracting(f -> f.record().value().getRequests())
        .as("[60, 90) and [90, 120)").containsExactly(2L, 1L);
  }

  @Test
  void everySumHeldIsSentBeforeACommitAndThrownAwayWithAnUncommittedTask() {
    init();
    partials.add(decision("a", ChipFamily.APPLE_A_SERIES, 1, 1), T0.toEpochMilli());
    store.flushCache(); // what Kafka Streams calls before each commit
    assertThat(context.forwarded()).extracting(f -> f.record().value().getRequests())
        .containsExactly(1L);
    context.resetForwards();
    store.flushCache();
    assertThat(context.forwarded()).as("nothing held across a commit").isEmpty();

    partials.add(decision("b", ChipFamily.APPLE_A_SERIES, 1, 1), T0.toEpochMilli());
    store.clearCache(); // a dirty close: the records will be read again
    punctuate();
    store.flushCache();
    assertThat(context.forwarded()).as("dropped with the task's uncommitted work").isEmpty();
    assertThat(durable.approximateNumEntries()).as("nothing written to the store").isZero();
  }

  @Test
  void sumsAnEarlierVersionLeftInTheStoreAreSentOnceAndDeleted() {
    store.init(context.getStateStoreContext(), store);
    FamilyWindowAggregate left = Observations.empty("GRAVITON");
    Observations.add(left, decision("old", ChipFamily.GRAVITON, 1, 1));
    durable.put("GRAVITON@" + T0.toEpochMilli(),
        ValueAndTimestamp.make(left, T0.plusSeconds(5).toEpochMilli()));
    context.addStateStore(store);
    partials.init(context, null);

    partials.add(decision("new", ChipFamily.GRAVITON, 1, 1), T0.plusSeconds(7).toEpochMilli());
    punctuate();

    assertThat(context.forwarded()).as("the restored sum, with the new record in its slot")
        .singleElement().satisfies(f -> {
          assertThat(f.record().key()).isEqualTo("GRAVITON");
          assertThat(f.record().value().getRequests()).isEqualTo(2);
          assertThat(f.record().timestamp()).isEqualTo(T0.plusSeconds(7).toEpochMilli());
        });
    assertThat(durable.get("GRAVITON@" + T0.toEpochMilli())).as("deleted once sent").isNull();
    context.resetForwards();
    store.flushCache();
    assertThat(context.forwarded()).isEmpty();
  }

  @Test
  void manyFamiliesNamedByEqualButDistinctStringsEachGetOneSumPerSlot() {
    SlotPartials<FamilyWindowAggregate> observations = new SlotPartials<>(STORE, MINUTE, MINUTE,
        Duration.ofMillis(100), SlotPartials.OBSERVATIONS);
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    observations.init(context, null);
    int families = 20;
    for (int round = 0; round < 3; round++) {
      for (int f = 0; f < families; f++) {
        // A new String each time, as a decoded record's is: equal names, never the same object.
        FamilyWindowAggregate one = Observations.empty(new String("family-" + f));
        Observations.add(one, decision("r" + round, ChipFamily.OTHER, 1, 1));
        long slot = round < 2 ? 0 : 60;
        observations.add(one, T0.plusSeconds(slot + f).toEpochMilli());
      }
    }
    punctuate();

    Map<String, List<Long>> requestsBySlot = new java.util.TreeMap<>();
    for (CapturedForward<? extends String, ? extends FamilyWindowAggregate> f :
        context.forwarded()) {
      requestsBySlot.computeIfAbsent(f.record().key(), k -> new ArrayList<>())
          .add(f.record().value().getRequests());
    }
    assertThat(requestsBySlot).as("every family, none split or lost").hasSize(families);
    assertThat(requestsBySlot.values()).as("two records in the first minute, one in the next")
        .allSatisfy(counts -> assertThat(counts).containsExactly(2L, 1L));
  }

  private void punctuate() {
    for (CapturedPunctuator punctuator : context.scheduledPunctuators()) {
      punctuator.getPunctuator().punctuate(T0.toEpochMilli());
    }
  }

  private static RoutingDecision decision(String id, ChipFamily family, int prompt, int output) {
    return RoutingDecision.newBuilder(Examples.decision()).setRequestId(id).setChipFamily(family)
        .setPromptTokens(prompt).setOutputTokens(output).build();
  }
}
