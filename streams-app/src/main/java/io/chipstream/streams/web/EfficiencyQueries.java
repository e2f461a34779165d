package io.chipstream.streams.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ChipFamily;
import io.chipstream.streams.ChipstreamTopology;
import io.chipstream.streams.ReadableRows;
import io.chipstream.streams.aggregate.Efficiency;
import io.chipstream.streams.avro.FamilyWindowAggregate;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Interactive queries of this instance's state stores: the per-family window aggregates (to
 * efficiency records, with the x86 and GPU baselines of the same window) and the catalog.
 */
final class EfficiencyQueries {
  private final KafkaStreams streams;

  EfficiencyQueries(KafkaStreams streams) {
    this.streams = streams;
  }

  /** Every family-window in {@code [from, to)}, as {@code chip-efficiency} records. */
  ArrayNode efficiency(ChipFamily family, Instant from, Instant to) {
    Map<Long, Map<String, FamilyWindowAggregate>> byWindow = windows(from, to);
    ArrayNode out = AvroJson.MAPPER.createArrayNode();
    byWindow.forEach((start, families) -> families.forEach((name, agg) -> {
      if (family == null || family.name().equals(name)) {
        out.add(AvroJson.of(Efficiency.of(agg, families.get(ChipFamily.X86.name()),
            families.get(ChipFamily.NVIDIA_GPU.name()))));
      }
    }));
    return out;
  }

  /** Each family's newest window in {@code [from, to)}. */
  ObjectNode latest(Instant from, Instant to) {
    Map<String, ObjectNode> newest = new TreeMap<>();
    windows(from, to).forEach((start, families) -> families.forEach((name, agg) ->
        newest.put(name, AvroJson.of(Efficiency.of(agg, families.get(ChipFamily.X86.name()),
            families.get(ChipFamily.NVIDIA_GPU.name()))))));
    ObjectNode out = AvroJson.MAPPER.createObjectNode();
    newest.forEach(out::set);
    return out;
  }

  /** Decisions in {@code [from, to)}: totals, local and cloud shares, counts per reason. */
  ObjectNode decisionSummary(Instant from, Instant to) {
    long requests = 0;
    long local = 0;
    long cloud = 0;
    Map<String, Long> reasons = new TreeMap<>();
    Map<String, Long> perFamily = new TreeMap<>();
    for (Map<String, FamilyWindowAggregate> families : windows(from, to).values()) {
      for (FamilyWindowAggregate agg : families.values()) {
        requests += agg.getRequests();
        local += agg.getLocalRequests();
        cloud += agg.getCloudRequests();
        if (agg.getRequests() > 0) {
          perFamily.merge(agg.getFamily(), agg.getRequests(), Long::sum);
        }
        agg.getReasonCounts().forEach((reason, n) -> reasons.merge(reason, n, Long::sum));
      }
    }
    ObjectNode out = AvroJson.MAPPER.createObjectNode();
    out.put("from", from.toString());
    out.put("to", to.toString());
    out.put("requests", requests);
    out.put("local", local);
    out.put("cloud", cloud);
    if (requests > 0) {
      out.put("localShare", (double) local / requests);
      out.put("cloudShare", (double) cloud / requests);
    } else {
      out.putNull("localShare");
      out.putNull("cloudShare");
    }
    ObjectNode reasonNode = out.putObject("reasons");
    reasons.forEach(reasonNode::put);
    ObjectNode familyNode = out.putObject("families");
    perFamily.forEach(familyNode::put);
    return out;
  }

  /** The chip catalog, by chip model. */
  ObjectNode catalog() {
    ReadOnlyKeyValueStore<String, ChipCapability> store = streams.store(
        StoreQueryParameters.fromNameAndType(ChipstreamTopology.CATALOG_STORE,
            QueryableStoreTypes.keyValueStore()));
    ObjectNode out = AvroJson.MAPPER.createObjectNode();
    try (KeyValueIterator<String, ChipCapability> all = store.all()) {
      // A row that cannot be decoded is left out, as the classifier leaves it out.
      ReadableRows.forEach(all,
          (model, chip) -> out.set(model, AvroJson.of(chip)));
    }
    return out;
  }

  private Map<Long, Map<String, FamilyWindowAggregate>> windows(Instant from, Instant to) {
    // Stale stores too: a standby replica answers while its active task moves after a failure.
    ReadOnlyWindowStore<String, FamilyWindowAggregate> store = streams.store(
        StoreQueryParameters.fromNameAndType(ChipstreamTopology.FAMILY_WINDOW_STORE,
            QueryableStoreTypes.<String, FamilyWindowAggregate>windowStore())
            .enableStaleStores());
    Map<Long, Map<String, FamilyWindowAggregate>> byWindow = new TreeMap<>();
    try (KeyValueIterator<Windowed<String>, FamilyWindowAggregate> all =
        store.fetchAll(from, to.minusMillis(1))) {
      while (all.hasNext()) {
        KeyValue<Windowed<String>, FamilyWindowAggregate> entry = all.next();
        FamilyWindowAggregate agg = FamilyWindowAggregate.newBuilder(entry.value)
            .setFamily(entry.key.key())
            .setWindowStart(entry.key.window().start())
            .setWindowEnd(entry.key.window().end())
            .build();
        byWindow.computeIfAbsent(entry.key.window().start(), s -> new HashMap<>())
            .put(entry.key.key(), agg);
      }
    }
    return byWindow;
  }
}
