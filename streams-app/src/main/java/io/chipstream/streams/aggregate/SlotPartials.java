package io.chipstream.streams.aggregate;

import io.chipstream.avro.RoutingDecision;
import io.chipstream.streams.avro.FamilyWindowAggregate;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Sums the records of one input task (decisions, or telemetry observations) per family and per
 * <em>slot</em> before they cross the one-partition repartition to the window aggregation, and
 * sends the sums on every {@code flush} of wall-clock time: the window aggregation then sees a
 * few partial sums a second instead of one observation per request. It runs inside a processor
 * node, the one that makes the records (decisions are summed in the node that classifies them,
 * with no hop between) or a {@link SlotPartialsProcessor} of its own.
 *
 * <p>A slot is a stretch of event time in which every instant falls in exactly the same
 * windows: window starts are multiples of the advance and window ends are those plus the size,
 * so slots of {@code gcd(size, advance)} never straddle a boundary (for tumbling windows, a slot
 * is a window). A partial sum carries the largest event time of its records as its timestamp,
 * which lies in the same slot, so it lands in the same windows as each of its records would.
 * Sums are exact in any grouping (see {@link Observations#merge}).
 *
 * <p>The partials live in a {@link PartialSumsStore}, which writes them to its changelog before
 * every commit, so a record whose input offset is committed is never only in memory: after a
 * crash the store comes back as of the last commit (under exactly once, together with what was
 * sent). A record costs an update of an object; the changelog gets each changed sum once per
 * commit.
 *
 * <p>Lateness is judged per partial: a partial whose windows have all closed when it reaches
 * the aggregation is dropped whole, and Kafka Streams' {@code dropped-records} metric counts it
 * once. A task sends its partials oldest slot first, so holding its records for a flush
 * interval never makes one late behind another of its own; across tasks, the flush adds up to
 * one interval of arrival skew, which the grace period covers along with the skew between
 * partitions. Sums restored after a restart go out at the task's first flush, in turn with
 * other tasks' sums of newer records: they are as far behind as the app was down, which the
 * grace period must cover too.
 */
public final class SlotPartials<V> {

  /** How one input's records count: the family each belongs to, and how it adds to a sum. */
  public interface Summing<V> {
    String family(V value);

    /** {@code sum} plus {@code value}; may update {@code sum} in place and return it. */
    FamilyWindowAggregate add(FamilyWindowAggregate sum, V value);
  }

  /** Decisions, each counted for the family of its chip, added without an observation object. */
  public static final Summing<RoutingDecision> DECISIONS = new Summing<>() {
    @Override
    public String family(RoutingDecision decision) {
      return decision.getChipFamily().name();
    }

    @Override
    public FamilyWindowAggregate add(FamilyWindowAggregate sum,
        RoutingDecision decision) {
      return Observations.add(sum, decision);
    }
  };

  /** Observations, each for the family it names. */
  public static final Summing<FamilyWindowAggregate> OBSERVATIONS = new Summing<>() {
    @Override
    public String family(FamilyWindowAggregate observation) {
      return observation.getFamily();
    }

    @Override
    public FamilyWindowAggregate add(FamilyWindowAggregate sum,
        FamilyWindowAggregate observation) {
      return Observations.merge(sum, observation);
    }
  };

  private final String storeName;
  private final Summing<V> summing;
  private final long slotMs;
  private final Duration flush;
  /**
   * Each family's store key for its latest slot: a family's records mostly fall in the same slot
   * as the one before, and building the key per record showed in the profile. One entry per
   * family.
   */
  private final Map<String, SlotKey> keys = new HashMap<>();
  private ProcessorContext<String, ? super FamilyWindowAggregate> context;
  private String child;
  private PartialSumsStore store;

  /**
   * @param storeName the store of partial sums, keyed {@code family@slotStart}
   * @param windowSize the windows' size
   * @param windowAdvance the windows' advance
   * @param flush how often, in wall-clock time, the partials are sent on
   * @param summing how a record adds to its family's sum
   */
  public SlotPartials(String storeName, Duration windowSize, Duration windowAdvance,
      Duration flush, Summing<V> summing) {
    this.storeName = storeName;
    this.summing = summing;
    this.slotMs = slotMillis(windowSize, windowAdvance);
    this.flush = flush;
  }

  /** The longest stretch of event time that always falls in one set of windows. */
  static long slotMillis(Duration windowSize, Duration windowAdvance) {
    long a = windowSize.toMillis();
    long b = windowAdvance.toMillis();
    while (b != 0) {
      long r = a % b;
      a = b;
      b = r;
    }
    return a;
  }

  /**
   * Called from the node's {@code init}: finds the store (connected to the node) and schedules
   * the flushes.
   *
   * @param child the processor that gets the sums, by name; null for every child of the node
   */
  public void init(ProcessorContext<String, ? super FamilyWindowAggregate> context,
      String child) {
    this.context = context;
    this.child = child;
    this.store = context.getStateStore(storeName);
    // Anchored to the epoch, so every task flushes at the same instants: Kafka Streams halves
    // how many records a task may process per loop whenever a punctuation runs, and tasks
    // flushing at their own offsets kept that number low (and added skew between their sums).
    context.schedule(Instant.EPOCH, flush, PunctuationType.WALL_CLOCK_TIME,
        now -> sendPartials());
  }

  /** Adds {@code value}, of event time {@code timestamp}, to its family's sum in its slot. */
  public void add(V value, long timestamp) {
    String family = summing.family(value);
    String key = key(family, Math.floorDiv(timestamp, slotMs) * slotMs);
    ValueAndTimestamp<FamilyWindowAggregate> partial = store.get(key);
    FamilyWindowAggregate sum = partial == null ? Observations.empty(family) : partial.value();
    store.put(key, ValueAndTimestamp.make(summing.add(sum, value),
        partial == null ? timestamp : Math.max(timestamp, partial.timestamp())));
  }

  /** The store key of {@code family}'s sum in the slot starting at {@code slotStart}. */
  private String key(String family, long slotStart) {
    SlotKey last = keys.get(family);
    if (last == null || last.slotStart() != slotStart) {
      last = new SlotKey(slotStart, family + "@" + slotStart);
      keys.put(family, last);
    }
    return last.key();
  }

  private record SlotKey(long slotStart, String key) {}

  private void sendPartials() {
    List<KeyValue<String, ValueAndTimestamp<FamilyWindowAggregate>>> partials = store.all();
    partials.sort(Comparator.comparingLong(kv -> kv.value.timestamp()));
    for (KeyValue<String, ValueAndTimestamp<FamilyWindowAggregate>> partial : partials) {
      String family = partial.key.substring(0, partial.key.lastIndexOf('@'));
      Record<String, FamilyWindowAggregate> sum = new Record<>(family, partial.value.value(),
          partial.value.timestamp());
      if (child == null) {
        context.forward(sum);
      } else {
        context.forward(sum, child);
      }
      store.delete(partial.key);
    }
  }
}
