package io.chipstream.streams.aggregate;

import io.chipstream.avro.RoutingDecision;
import io.chipstream.streams.avro.FamilyWindowAggregate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * <p>The sums are plain objects in the task, sent on at every flush and before every commit
 * (through {@link PartialSumsStore#beforeCommit}, as part of the commit): a record whose input
 * offset is committed has always been sent on in a sum, under exactly once in the same
 * transaction, so a crash loses nothing and nothing is restored. A record costs an update of an
 * object; nothing is written to a changelog.
 *
 * <p>Lateness is judged per partial: a partial whose windows have all closed when it reaches
 * the aggregation is dropped whole, and Kafka Streams' {@code dropped-records} metric counts it
 * once. A task sends its partials oldest slot first, so holding its records for a flush
 * interval never makes one late behind another of its own; across tasks, the flush adds up to
 * one interval of arrival skew, which the grace period covers along with the skew between
 * partitions. Sums restored from the changelog an earlier version wrote (see {@link
 * PartialSumsStore}) go out at the task's first flush: they are as far behind as the app was
 * down, which the grace period must cover too.
 */
public final class SlotPartials<V> {

  /** How one input's records count: the family each belongs to, and how it adds to a sum. */
  public interface Summing<V> {
    String family(V value);

    /**
     * {@code sum} plus {@code value}; may update {@code sum} in place and return it, and may
     * keep counts aside in {@code tally} (the sum's own, {@link #tallySize} of them) for {@link
     * #settle} to add to the sum before it is sent.
     */
    FamilyWindowAggregate add(FamilyWindowAggregate sum, long[] tally, V value);

    /** How many counts {@link #add} keeps aside per sum. */
    default int tallySize() {
      return 0;
    }

    /** Adds the counts kept aside to {@code sum}, and zeroes them. */
    default void settle(FamilyWindowAggregate sum, long[] tally) {}
  }

  /**
   * Decisions, each counted for the family of its chip, added without an observation object,
   * their reasons counted by ordinal until the sum is sent.
   */
  public static final Summing<RoutingDecision> DECISIONS = new Summing<>() {
    @Override
    public String family(RoutingDecision decision) {
      return decision.getChipFamily().name();
    }

    @Override
    public FamilyWindowAggregate add(FamilyWindowAggregate sum, long[] tally,
        RoutingDecision decision) {
      return Observations.add(sum, decision, tally);
    }

    @Override
    public int tallySize() {
      return Observations.REASON_COUNT;
    }

    @Override
    public void settle(FamilyWindowAggregate sum, long[] tally) {
      Observations.addReasons(sum, tally);
    }
  };

  /** Observations, each for the family it names. */
  public static final Summing<FamilyWindowAggregate> OBSERVATIONS = new Summing<>() {
    @Override
    public String family(FamilyWindowAggregate observation) {
      return observation.getFamily();
    }

    @Override
    public FamilyWindowAggregate add(FamilyWindowAggregate sum, long[] tally,
        FamilyWindowAggregate observation) {
      return Observations.merge(sum, observation);
    }
  };

  private final String storeName;
  private final Summing<V> summing;
  private final long slotMs;
  private final Duration flush;
  /** The sums held, per family and slot. */
  private final Map<SlotKey, Partial> sums = new HashMap<>();
  /**
   * Each family's sum in its latest slot: a family's records mostly fall in the same slot as the
   * one before, so most records find their sum with one lookup by family. One entry per family.
   */
  private final Map<String, Partial> latest = new HashMap<>();
  /** Sums restored from the store's changelog, to delete there once sent on. */
  private final List<String> restoredKeys = new ArrayList<>();
  private ProcessorContext<String, ? super FamilyWindowAggregate> context;
  private String child;
  private PartialSumsStore store;

  /**
   * @param storeName the task's {@link PartialSumsStore} (its commit hook, and sums an earlier
   *     version left there, keyed {@code family@slotStart})
   * @param windowSize the windows' size
   * @param windowAdvance the windows' advance
   * @param flush how often, in wall-clock time, the partials are sent on (they also are before
   *     every commit)
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
   * Called from the node's {@code init}: finds the store (connected to the node), takes any sums
   * restored there, and schedules the flushes, wall-clock and before each commit.
   *
   * @param child the processor that gets the sums, by name; null for every child of the node
   */
  public void init(ProcessorContext<String, ? super FamilyWindowAggregate> context,
      String child) {
    this.context = context;
    this.child = child;
    this.store = context.getStateStore(storeName);
    discard();
    restoredKeys.clear();
    for (KeyValue<String, ValueAndTimestamp<FamilyWindowAggregate>> kv : store.restored()) {
      int at = kv.key.lastIndexOf('@');
      Partial partial = new Partial(kv.key.substring(0, at),
          Long.parseLong(kv.key.substring(at + 1)), kv.value.value(), summing.tallySize());
      partial.timestamp = kv.value.timestamp();
      sums.put(new SlotKey(partial.family, partial.slotStart), partial);
      restoredKeys.add(kv.key);
    }
    store.beforeCommit(context, this::sendPartials, this::discard);
    // Anchored to the epoch, so every task flushes at the same instants: Kafka Streams halves
    // how many records a task may process per loop whenever a punctuation runs, and tasks
    // flushing at their own offsets kept that number low (and added skew between their sums).
    context.schedule(Instant.EPOCH, flush, PunctuationType.WALL_CLOCK_TIME,
        now -> sendPartials());
  }

  /** Adds {@code value}, of event time {@code timestamp}, to its family's sum in its slot. */
  public void add(V value, long timestamp) {
    String family = summing.family(value);
    long slotStart = Math.floorDiv(timestamp, slotMs) * slotMs;
    Partial partial = latest.get(family);
    if (partial == null || partial.slotStart != slotStart) {
      partial = sums.computeIfAbsent(new SlotKey(family, slotStart),
          key -> new Partial(key.family(), key.slotStart(), Observations.empty(key.family()),
              summing.tallySize()));
      latest.put(family, partial);
    }
    partial.sum = summing.add(partial.sum, partial.tally, value);
    partial.timestamp = Math.max(partial.timestamp, timestamp);
  }

  private record SlotKey(String family, long slotStart) {}

  /** One family's sum in one slot, with the largest event time of its records. */
  private static final class Partial {
    final String family;
    final long slotStart;
    /** Counts the summing keeps aside until the sum is sent (see Summing#settle). */
    final long[] tally;
    FamilyWindowAggregate sum;
    long timestamp = Long.MIN_VALUE;

    Partial(String family, long slotStart, FamilyWindowAggregate sum, int tallySize) {
      this.family = family;
      this.slotStart = slotStart;
      this.sum = sum;
      this.tally = new long[tallySize];
    }
  }

  /** Every sum held, oldest first; then none is held. */
  private void sendPartials() {
    if (sums.isEmpty()) {
      return;
    }
    List<Partial> partials = new ArrayList<>(sums.values());
    discard();
    partials.sort(Comparator.comparingLong(partial -> partial.timestamp));
    for (Partial partial : partials) {
      summing.settle(partial.sum, partial.tally);
      Record<String, FamilyWindowAggregate> sum = new Record<>(partial.family, partial.sum,
          partial.timestamp);
      if (child == null) {
        context.forward(sum);
      } else {
        context.forward(sum, child);
      }
    }
    for (String key : restoredKeys) {
      store.deleteRestored(key);
    }
    restoredKeys.clear();
  }

  /** Drops the sums held (sent on, or thrown away with the task's uncommitted work). */
  private void discard() {
    sums.clear();
    latest.clear();
  }
}
