package io.chipstream.streams.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.avro.ExecutionTarget;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.avro.RoutingReason;
import io.chipstream.schema.Examples;
import io.chipstream.schema.registry.InMemorySchemaRegistryClient;
import io.chipstream.schema.serde.AvroSerde;
import io.chipstream.streams.avro.FamilyWindowAggregate;
import io.chipstream.streams.avro.WindowFamilies;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class ObservationsTest {

  @Test
  void decisionsAddedInPlaceCountEveryField() {
    List<RoutingDecision> decisions = decisions(40);
    FamilyWindowAggregate sum = addedOneByOne(decisions);

    assertThat(sum.getRequests()).isEqualTo(40);
    assertThat(sum.getLocalRequests()).isEqualTo(
        decisions.stream().filter(d -> d.getTarget() == ExecutionTarget.LOCAL).count());
    assertThat(sum.getLocalRequests() + sum.getCloudRequests()).isEqualTo(40);
    assertThat(sum.getPromptTokens()).isEqualTo(
        decisions.stream().mapToLong(RoutingDecision::getPromptTokens).sum());
    assertThat(sum.getOutputTokens()).isEqualTo(
        decisions.stream().mapToLong(RoutingDecision::getOutputTokens).sum());
    assertThat(sum.getEstimatedEnergyMicrojoules()).isEqualTo(decisions.stream()
        .mapToLong(d -> Math.round(d.getEstimatedEnergyJoules() * 1e6)).sum());
    assertThat(sum.getEstimatedCostPicoUsd()).isEqualTo(decisions.stream()
        .mapToLong(d -> Math.round(d.getEstimatedCostUsd() * 1e12)).sum());
    Map<String, Long> reasons = new TreeMap<>();
    Map<Integer, Long> buckets = new TreeMap<>();
    for (RoutingDecision d : decisions) {
      d.getReasons().forEach(r -> reasons.merge(r.name(), 1L, Long::sum));
      buckets.merge(LatencySketch.bucket(d.getEstimatedLatencyMs()), 1L, Long::sum);
    }
    assertThat(sum.getReasonCounts()).isEqualTo(reasons);
    assertThat(sum.getLatencyBuckets()).as("sorted, one entry per bucket")
        .containsExactlyElementsOf(buckets.keySet());
    assertThat(sum.getLatencyCounts()).containsExactlyElementsOf(buckets.values());
    assertThat(sum.getMeasuredTokens()).as("no telemetry in decisions").isZero();
  }

  @Test
  void addingInPlaceEqualsMergingObservationsInAnyGrouping() {
    List<RoutingDecision> decisions = decisions(30);
    FamilyWindowAggregate oneByOne = addedOneByOne(decisions);

    FamilyWindowAggregate firstHalf = Observations.empty("INFERENTIA");
    FamilyWindowAggregate secondHalf = Observations.empty("INFERENTIA");
    decisions.subList(0, 13).forEach(d -> Observations.merge(firstHalf, Observations.of(d)));
    decisions.subList(13, 30).forEach(d -> Observations.add(secondHalf, d));
    FamilyWindowAggregate grouped = Observations.merge(secondHalf, firstHalf);

    assertThat(grouped).isEqualTo(oneByOne);
  }

  @Test
  void reasonsCountedAsideAndAddedLaterGiveTheSameSumAndTheCountsStartAgain() {
    List<RoutingDecision> decisions = decisions(30);
    FamilyWindowAggregate expected = addedOneByOne(decisions);

    FamilyWindowAggregate sum = Observations.empty("INFERENTIA");
    long[] reasons = new long[Observations.REASON_COUNT];
    decisions.subList(0, 20).forEach(d -> Observations.add(sum, d, reasons));
    assertThat(sum.getReasonCounts()).as("nothing in the map until added").isEmpty();
    Observations.addReasons(sum, reasons);
    assertThat(reasons).as("zeroed once added").containsOnly(0L);
    decisions.subList(20, 30).forEach(d -> Observations.add(sum, d, reasons));
    Observations.addReasons(sum, reasons);

    assertThat(sum).isEqualTo(expected);
  }

  @Test
  void aDecodedAggregateTakesMoreDecisions() throws IOException {
    List<RoutingDecision> decisions = decisions(10);
    FamilyWindowAggregate expected = addedOneByOne(decisions);

    FamilyWindowAggregate stored = Observations.empty("INFERENTIA");
    decisions.subList(0, 4).forEach(d -> Observations.add(stored, d));
    // Decoded as from a store: Avro's own array and map types, not the ones we built.
    FamilyWindowAggregate decoded = roundTrip(stored);
    decisions.subList(4, 10).forEach(d -> Observations.add(decoded, d));

    assertThat(decoded).isEqualTo(expected);
  }

  @Test
  void theAppsSerdeReadsAggregatesAndWindowsAsAvroDoes() throws IOException {
    FamilyWindowAggregate aggregate = addedOneByOne(decisions(25));
    aggregate.setWindowStart(1_000L);
    aggregate.setWindowEnd(61_000L);
    WindowFamilies window = WindowFamilies.newBuilder()
        .setWindowStart(1_000L).setWindowEnd(61_000L)
        .setFamilies(new HashMap<>(Map.of("INFERENTIA", aggregate, "X86", roundTrip(aggregate))))
        .setEmitted(new ArrayList<>(List.of("X86"))).setPending(new ArrayList<>(List.of("GPU")))
        .build();
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    Map<String, Object> config = Map.of("schema.registry.url", "mock://unused");

    try (AvroSerde<FamilyWindowAggregate> aggregates = AvroSerde.specific(
            FamilyWindowAggregate.class, registry).configured(config, false);
        AvroSerde<WindowFamilies> windows = AvroSerde.specific(WindowFamilies.class, registry)
            .configured(config, false)) {
      byte[] aggregateBytes = aggregates.serializer().serialize("t", aggregate);
      byte[] windowBytes = windows.serializer().serialize("t", window);
      FamilyWindowAggregate readAggregate = aggregates.deserializer().deserialize("t",
          aggregateBytes);
      WindowFamilies readWindow = windows.deserializer().deserialize("t", windowBytes);

      assertThat(readAggregate).isEqualTo(aggregate)
          .isEqualTo(avroReads(FamilyWindowAggregate.class, aggregateBytes));
      assertThat(readWindow).isEqualTo(window)
          .isEqualTo(avroReads(WindowFamilies.class, windowBytes));
      // And what the serde read takes more decisions in place, as a decoded store value must.
      decisions(5).forEach(d -> Observations.add(readAggregate, d));
      decisions(5).forEach(d -> Observations.add(aggregate, d));
      assertThat(readAggregate).isEqualTo(aggregate);
    }
  }

  /** Avro's own reader on the body of a wire-format record. */
  private static <T> T avroReads(Class<T> type, byte[] wireFormat) throws IOException {
    return new SpecificDatumReader<>(type).read(null, DecoderFactory.get().binaryDecoder(
        wireFormat, 5, wireFormat.length - 5, null));
  }

  private static List<RoutingDecision> decisions(int n) {
    RoutingReason[] reasons = RoutingReason.values();
    List<RoutingDecision> decisions = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      decisions.add(RoutingDecision.newBuilder(Examples.decision())
          .setRequestId("req-" + i)
          .setTarget(i % 3 == 0 ? ExecutionTarget.LOCAL : ExecutionTarget.CLOUD)
          .setReasons(List.of(reasons[i % reasons.length], reasons[(i * 7) % reasons.length]))
          .setEstimatedLatencyMs(20 + (i * 37) % 900)
          .setEstimatedEnergyJoules(0.5 + i * 0.173)
          .setEstimatedCostUsd(1e-6 * (1 + i))
          .setPromptTokens(100 + i)
          .setOutputTokens(10 + 2 * i)
          .build());
    }
    return decisions;
  }

  private static FamilyWindowAggregate roundTrip(FamilyWindowAggregate aggregate)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<>(FamilyWindowAggregate.class).write(aggregate, encoder);
    encoder.flush();
    return new SpecificDatumReader<>(FamilyWindowAggregate.class).read(null,
        DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
  }

  /** The decisions added in place, one by one, to an empty aggregate. */
  private static FamilyWindowAggregate addedOneByOne(List<RoutingDecision> decisions) {
    FamilyWindowAggregate sum = Observations.empty("INFERENTIA");
    decisions.forEach(d -> Observations.add(sum, d));
    return sum;
  }
}
