package io.chipstream.streams.aggregate;

import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.streams.EmitMode;
import io.chipstream.streams.avro.FamilyWindowAggregate;
import io.chipstream.streams.avro.WindowFamilies;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Compares each family with the x86 (and GPU) baseline of the same window and writes the
 * {@code chip-efficiency} records, keyed {@code FAMILY@windowStart}.
 *
 * <p>It runs in the window aggregation's task, which holds every family (one partition), so
 * every family of a window meets here; input is keyed by window start. In eager mode every update
 * is written at once, and an update of a baseline family rewrites the window's other families
 * with their new index. In final mode each family's final is written exactly once: at once when
 * the x86 final of its window is here, or held until it arrives, but never longer than a few
 * seconds of wall-clock time (the finals of one window are released together, when the window
 * closes, so a baseline that has not come by then is not coming): then it is written with no
 * index. Windows are dropped from the store once stream time passes their end plus grace plus
 * one advance, when no more results can arrive for them.
 */
public final class BaselineProcessor
    implements Processor<String, FamilyWindowAggregate, String, ChipFamilyEfficiency> {
  private static final String X86 = ChipFamily.X86.name();
  private static final String GPU = ChipFamily.NVIDIA_GPU.name();

  private final String storeName;
  private final EmitMode mode;
  private final long closeAfterMs;
  private final long punctuateMs;
  private final long holdMs;
  private ProcessorContext<String, ChipFamilyEfficiency> context;
  private KeyValueStore<String, WindowFamilies> store;

  /**
   * @param storeName the store of {@link WindowFamilies} by window key
   * @param mode eager or final
   * @param grace the windows' grace period
   * @param advance the windows' advance
   * @param hold the longest a final waits for its window's x86 final (wall clock)
   */
  public BaselineProcessor(String storeName, EmitMode mode, Duration grace, Duration advance,
      Duration hold) {
    this.storeName = storeName;
    this.mode = mode;
    this.closeAfterMs = grace.toMillis() + advance.toMillis();
    this.punctuateMs = Math.max(1, advance.toMillis());
    this.holdMs = hold.toMillis();
  }

  @Override
  public void init(ProcessorContext<String, ChipFamilyEfficiency> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    context.schedule(Duration.ofMillis(punctuateMs), PunctuationType.STREAM_TIME, this::expire);
    if (mode == EmitMode.FINAL) {
      context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::release);
    }
  }

  @Override
  public void process(Record<String, FamilyWindowAggregate> record) {
    FamilyWindowAggregate agg = record.value();
    WindowFamilies window = store.get(record.key());
    if (window == null) {
      window = WindowFamilies.newBuilder()
          .setWindowStart(agg.getWindowStart())
          .setWindowEnd(agg.getWindowEnd())
          .setFamilies(new HashMap<>())
          .setEmitted(new ArrayList<>())
          .setPending(new ArrayList<>())
          .build();
    }
    String family = agg.getFamily();
    if (window.getEmitted().contains(family)) {
      return; // a final already written (a replayed record after a restart): never twice
    }
    Map<String, FamilyWindowAggregate> families = new HashMap<>(window.getFamilies());
    families.put(family, agg);
    window.setFamilies(families);
    long timestamp = record.timestamp();
    if (mode == EmitMode.EAGER) {
      emit(window, family, timestamp);
      if (family.equals(X86) || family.equals(GPU)) {
        for (String other : families.keySet()) {
          if (!other.equals(family)) {
            emit(window, other, timestamp);
          }
        }
      }
    } else if (family.equals(X86)) {
      emitFinal(window, family, timestamp);
      for (String held : List.copyOf(window.getPending())) {
        emitFinal(window, held, timestamp);
      }
    } else if (families.containsKey(X86)) {
      emitFinal(window, family, timestamp);
    } else {
      List<String> pending = new ArrayList<>(window.getPending());
      if (pending.isEmpty()) {
        window.setPendingSinceMs(context.currentSystemTimeMs());
      }
      pending.add(family);
      window.setPending(pending);
    }
    store.put(record.key(), window);
  }

  private void emit(WindowFamilies window, String family, long timestamp) {
    Map<String, FamilyWindowAggregate> families = window.getFamilies();
    ChipFamilyEfficiency result = Efficiency.of(families.get(family), families.get(X86),
        families.get(GPU));
    context.forward(new Record<>(key(family, window.getWindowStart()), result, timestamp));
  }

  private void emitFinal(WindowFamilies window, String family, long timestamp) {
    emit(window, family, timestamp);
    List<String> emitted = new ArrayList<>(window.getEmitted());
    emitted.add(family);
    window.setEmitted(emitted);
    List<String> pending = new ArrayList<>(window.getPending());
    pending.remove(family);
    window.setPending(pending);
  }

  /** Writes the finals held longer than the hold time, with whatever baseline there is. */
  private void release(long wallClock) {
    List<KeyValue<String, WindowFamilies>> due = new ArrayList<>();
    try (KeyValueIterator<String, WindowFamilies> all = store.all()) {
      all.forEachRemaining(entry -> {
        if (!entry.value.getPending().isEmpty()
            && wallClock - entry.value.getPendingSinceMs() >= holdMs) {
          due.add(entry);
        }
      });
    }
    for (KeyValue<String, WindowFamilies> entry : due) {
      WindowFamilies window = entry.value;
      for (String held : List.copyOf(window.getPending())) {
        emitFinal(window, held, window.getWindowEnd() - 1);
      }
      window.setPendingSinceMs(0);
      store.put(entry.key, window);
    }
  }

  private void expire(long streamTime) {
    List<KeyValue<String, WindowFamilies>> done = new ArrayList<>();
    try (KeyValueIterator<String, WindowFamilies> all = store.all()) {
      all.forEachRemaining(entry -> {
        if (entry.value.getWindowEnd() + closeAfterMs <= streamTime) {
          done.add(entry);
        }
      });
    }
    for (KeyValue<String, WindowFamilies> entry : done) {
      WindowFamilies window = entry.value;
      for (String held : List.copyOf(window.getPending())) {
        emitFinal(window, held, streamTime);
      }
      store.delete(entry.key);
    }
  }

  /** The {@code chip-efficiency} key: family and window start. */
  public static String key(String family, long windowStart) {
    return family + "@" + Instant.ofEpochMilli(windowStart);
  }
}
