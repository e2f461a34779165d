package io.chipstream.streams.aggregate;

import io.chipstream.streams.avro.FamilyWindowAggregate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.TimestampedBytesStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * The partial sums of one input task: live objects between commits, written to a changelogged
 * in-memory store once per commit rather than once per record.
 *
 * <p>Why not a plain cached key-value store: its cache holds bytes, so every record would decode
 * and re-encode its family's whole partial sum (latency buckets, reason counts), which the
 * profile showed as a third of the stream thread's time. Here a record updates an object; each
 * commit encodes each changed sum once.
 *
 * <p>What makes it safe is that the pending objects reach the changelog before every commit:
 * Kafka Streams calls {@link #flushCache()} on every store that is a {@link CachedStateStore}
 * before it flushes the producer and commits the input offsets (and, under exactly once, in the
 * same transaction). That interface is Kafka Streams' internal one, the one its own caching
 * stores use; reliability's {@code PartialSumsCrashIT} (kill after a commit, restore, count)
 * fails if a Kafka upgrade stops calling it before the commit. ({@code commit} writes them too,
 * but Kafka Streams calls it after the offsets are committed: too late for a crash.)
 *
 * <p>It is also a {@link TimestampedBytesStore}, as the store it wraps: Kafka Streams looks at
 * the outermost store to decide how to restore the changelog, and a store that does not say so
 * gets its values back without their timestamps (undecodable: a restart lost the sums).
 */
public final class PartialSumsStore implements StateStore,
    CachedStateStore<String, FamilyWindowAggregate>, TimestampedBytesStore {
  private final TimestampedKeyValueStore<String, FamilyWindowAggregate> durable;
  /** Changes since the last commit; a null value is a deletion. */
  private final Map<String, ValueAndTimestamp<FamilyWindowAggregate>> pending = new HashMap<>();

  private PartialSumsStore(TimestampedKeyValueStore<String, FamilyWindowAggregate> durable) {
    this.durable = durable;
  }

  /**
   * An in-memory, changelogged store of partial sums keyed by string. Being in memory, it is
   * restored from its whole changelog at every start; the changelog rolls a segment every ten
   * minutes and keeps deletions ten minutes, so compaction bounds it to about ten minutes of
   * writes (at most a write per family and slot per commit) plus the live sums.
   */
  public static StoreBuilder<PartialSumsStore> builder(String name,
      Serde<FamilyWindowAggregate> serde) {
    String tenMinutes = Long.toString(java.time.Duration.ofMinutes(10).toMillis());
    return new Builder(Stores.timestampedKeyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(name), Serdes.String(), serde)
        .withLoggingEnabled(Map.of(
            org.apache.kafka.common.config.TopicConfig.SEGMENT_MS_CONFIG, tenMinutes,
            org.apache.kafka.common.config.TopicConfig.DELETE_RETENTION_MS_CONFIG, tenMinutes,
            org.apache.kafka.common.config.TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1")));
  }

  public ValueAndTimestamp<FamilyWindowAggregate> get(String key) {
    ValueAndTimestamp<FamilyWindowAggregate> changed = pending.get(key);
    // One lookup for the common case, a sum changed since the last commit.
    return changed != null || pending.containsKey(key) ? changed : durable.get(key);
  }

  /** Keeps {@code value}, the object itself: a later {@link #get} returns it to be changed. */
  public void put(String key, ValueAndTimestamp<FamilyWindowAggregate> value) {
    pending.put(key, value);
  }

  public void delete(String key) {
    pending.put(key, null);
  }

  /** Every partial sum, in no particular order. */
  public List<KeyValue<String, ValueAndTimestamp<FamilyWindowAggregate>>> all() {
    Map<String, ValueAndTimestamp<FamilyWindowAggregate>> all = new LinkedHashMap<>();
    try (KeyValueIterator<String, ValueAndTimestamp<FamilyWindowAggregate>> stored =
        durable.all()) {
      stored.forEachRemaining(kv -> all.put(kv.key, kv.value));
    }
    pending.forEach((key, value) -> {
      if (value == null) {
        all.remove(key);
      } else {
        all.put(key, value);
      }
    });
    List<KeyValue<String, ValueAndTimestamp<FamilyWindowAggregate>>> out = new ArrayList<>();
    all.forEach((key, value) -> out.add(KeyValue.pair(key, value)));
    return out;
  }

  /**
   * Before each commit: every changed sum to the store and so to its changelog. A sum made and
   * sent on since the last commit was never written: its deletion is not written either.
   */
  @Override
  public void flushCache() {
    pending.forEach((key, value) -> {
      if (value == null) {
        if (durable.get(key) != null) {
          durable.delete(key);
        }
      } else {
        durable.put(key, value);
      }
    });
    pending.clear();
  }

  /** The task's uncommitted work is being thrown away (a dirty close): so are these changes. */
  @Override
  public void clearCache() {
    pending.clear();
  }

  @Override
  public boolean setFlushListener(CacheFlushListener<String, FamilyWindowAggregate> listener,
      boolean sendOldValues) {
    return false;
  }

  @Override
  public String name() {
    return durable.name();
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    pending.clear();
    durable.init(context, root);
  }

  @Override
  public void commit(Map<TopicPartition, Long> changelogOffsets) {
    flushCache();
    durable.commit(changelogOffsets);
  }

  @Override
  public void close() {
    pending.clear();
    durable.close();
  }

  @Override
  public boolean persistent() {
    return durable.persistent();
  }

  @Override
  public boolean isOpen() {
    return durable.isOpen();
  }

  @Override
  public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound,
      QueryConfig config) {
    return durable.query(query, positionBound, config);
  }

  @Override
  public Position getPosition() {
    return durable.getPosition();
  }

  /** Builds the changelogged store underneath and wraps it; caching does not apply. */
  private static final class Builder implements StoreBuilder<PartialSumsStore> {
    private final StoreBuilder<TimestampedKeyValueStore<String, FamilyWindowAggregate>> durable;

    Builder(StoreBuilder<TimestampedKeyValueStore<String, FamilyWindowAggregate>> durable) {
      this.durable = durable;
    }

    @Override
    public StoreBuilder<PartialSumsStore> withCachingEnabled() {
      return this;
    }

    @Override
    public StoreBuilder<PartialSumsStore> withCachingDisabled() {
      return this;
    }

    @Override
    public StoreBuilder<PartialSumsStore> withLoggingEnabled(Map<String, String> config) {
      durable.withLoggingEnabled(config);
      return this;
    }

    @Override
    public StoreBuilder<PartialSumsStore> withLoggingDisabled() {
      throw new UnsupportedOperationException(
          "the partial sums must be changelogged, or a crash would lose them");
    }

    @Override
    public PartialSumsStore build() {
      return new PartialSumsStore(durable.build());
    }

    @Override
    public Map<String, String> logConfig() {
      return durable.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
      return durable.loggingEnabled();
    }

    @Override
    public String name() {
      return durable.name();
    }
  }
}
