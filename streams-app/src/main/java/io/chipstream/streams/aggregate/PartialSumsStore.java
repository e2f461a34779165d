package io.chipstream.streams.aggregate;

import io.chipstream.streams.avro.FamilyWindowAggregate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
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
 * The store of one input task's partial sums ({@link SlotPartials}), for two things: the call
 * Kafka Streams makes before every commit, and sums an earlier version left in its changelog.
 *
 * <p>Before every commit, Kafka Streams calls {@link #flushCache()} on every store that is a
 * {@link CachedStateStore}, before it flushes the producer and commits the input offsets (under
 * exactly once, in the same transaction). There the owner of the sums sends every sum it holds
 * on, as the node that made them, the way Kafka Streams' own caching stores send their records
 * at a commit: no sum is held across a commit, so a crash loses none (every record not yet sent
 * on in a sum comes after the last commit and is read again) and none needs restoring. That
 * interface is Kafka Streams' internal one: reliability's {@code PartialSumsCrashIT} fails if
 * an upgrade stops calling it; that the call comes before the offsets are committed is what its
 * caching stores rely on for exactly once too.
 *
 * <p>The changelog: versions until 2026-11-28 held the sums between commits and wrote them to
 * it at each commit. This one writes to it only the deletions of sums it restored from there
 * (sent on at the task's first flush, see {@link #restored()}): otherwise no transaction touches
 * it, and an app upgraded from such a version still sends what the old one held.
 *
 * <p>It is also a {@link TimestampedBytesStore}, as the store it wraps: Kafka Streams looks at
 * the outermost store to decide how to restore the changelog, and a store that does not say so
 * gets its values back without their timestamps (undecodable).
 */
public final class PartialSumsStore implements StateStore,
    CachedStateStore<String, FamilyWindowAggregate>, TimestampedBytesStore {
  private final TimestampedKeyValueStore<String, FamilyWindowAggregate> durable;
  private BeforeCommit beforeCommit;

  private PartialSumsStore(TimestampedKeyValueStore<String, FamilyWindowAggregate> durable) {
    this.durable = durable;
  }

  /** Around a store made by the caller: a test's, without a changelog. */
  static PartialSumsStore wrapping(
      TimestampedKeyValueStore<String, FamilyWindowAggregate> durable) {
    return new PartialSumsStore(durable);
  }

  /**
   * An in-memory store of partial sums keyed by string, changelogged for the sums an earlier
   * version may have left there. The changelog rolls a segment every ten minutes and keeps
   * deletions ten minutes, so compaction empties it soon after those are sent on.
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

  /**
   * Called from the owning node's {@code init}: before every commit, {@code send} runs as that
   * node (it may forward records, as in a punctuation); when Kafka Streams throws the task's
   * uncommitted work away (a dirty close), {@code discard} runs instead.
   */
  public void beforeCommit(ProcessorContext<?, ?> context, Runnable send, Runnable discard) {
    beforeCommit = new BeforeCommit(context, send, discard);
  }

  /** Sums restored from the changelog (left by an earlier version), keyed {@code family@slot}. */
  public List<KeyValue<String, ValueAndTimestamp<FamilyWindowAggregate>>> restored() {
    List<KeyValue<String, ValueAndTimestamp<FamilyWindowAggregate>>> out = new ArrayList<>();
    try (KeyValueIterator<String, ValueAndTimestamp<FamilyWindowAggregate>> stored =
        durable.all()) {
      stored.forEachRemaining(out::add);
    }
    return out;
  }

  /** Deletes a restored sum once it is sent on (a deletion in the changelog). */
  public void deleteRestored(String key) {
    durable.delete(key);
  }

  /** Before each commit: the owner sends every sum it holds on. */
  @Override
  public void flushCache() {
    if (beforeCommit != null) {
      beforeCommit.run();
    }
  }

  /** The task's uncommitted work is being thrown away (a dirty close): so are the sums. */
  @Override
  public void clearCache() {
    if (beforeCommit != null) {
      beforeCommit.discard.run();
    }
  }

  /**
   * The owner's action, run as its node: outside of processing and punctuation Kafka Streams
   * has no current node and no record context, and forwarding needs both. Its caching stores'
   * flush does the same. Outside Kafka Streams' own context (a test's mock), runs as is.
   */
  private static final class BeforeCommit {
    private final InternalProcessorContext<?, ?> internal;
    private final ProcessorNode<?, ?, ?, ?> node;
    private final Runnable send;
    private final Runnable discard;

    BeforeCommit(ProcessorContext<?, ?> context, Runnable send, Runnable discard) {
      this.internal = context instanceof InternalProcessorContext<?, ?> i ? i : null;
      // Kafka Streams sets the current node while it initialises each node.
      this.node = internal == null ? null : internal.currentNode();
      this.send = send;
      this.discard = discard;
    }

    void run() {
      if (internal == null) {
        send.run();
        return;
      }
      ProcessorNode<?, ?, ?, ?> previousNode = internal.currentNode();
      ProcessorRecordContext previousRecord = internal.recordContext();
      internal.setCurrentNode(node);
      // As a punctuation's: no input record.
      internal.setRecordContext(new ProcessorRecordContext(internal.currentSystemTimeMs(), -1L,
          -1, null, new RecordHeaders()));
      try {
        send.run();
      } finally {
        internal.setRecordContext(previousRecord);
        internal.setCurrentNode(previousNode);
      }
    }
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
    durable.init(context, root);
  }

  @Override
  public void commit(Map<TopicPartition, Long> changelogOffsets) {
    durable.commit(changelogOffsets);
  }

  @Override
  public void close() {
    beforeCommit = null;
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
          "the partial sums' changelog holds what an earlier version left there");
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
