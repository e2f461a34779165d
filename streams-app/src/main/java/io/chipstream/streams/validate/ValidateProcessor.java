package io.chipstream.streams.validate;

import io.chipstream.schema.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes a raw record and checks it. Never throws for bad input: every record becomes a
 * {@link Checked}, valid or with its reason, stamped with its event time. A rejected one goes to
 * the dead-letter child, by name; a valid one to the {@link Valid} step, which runs in this same
 * processor node (for requests: classification, see {@code ClassifyStep}) or forwards it to a
 * child ({@link #forwardTo}). Each node on a record's path costs the framework a forward, a copy
 * of the record and its headers, and a record context (with four hops per request, the
 * framework's forwarding code held about a seventh of the stream thread's profile samples), so
 * requests take none.
 *
 * <p>The node's output is what its children get, by name: {@code Checked} values for the
 * dead-letter child, and whatever the valid step forwards to its own children.
 *
 * @param <T> the decoded value type
 */
public final class ValidateProcessor<T> implements Processor<byte[], byte[], String, Object> {
  /** The semantic check of a decoded value: its key, value and the wall-clock time. */
  @FunctionalInterface
  public interface Check<T> {
    Optional<Invalid> check(String key, T value, long nowMs);
  }

  /** Where a decoded value keeps its event time. */
  @FunctionalInterface
  public interface EventTime<T> {
    long millis(T value);
  }

  /**
   * What happens to a valid record, in the validating node. It forwards what it makes to the
   * node's children by name.
   *
   * @param <T> the decoded value type
   */
  public interface Valid<T> {
    /** Called from the node's {@code init}: keep the context, find stores, schedule. */
    void init(ProcessorContext<String, Object> context);

    /**
     * One valid record.
     *
     * @param checked the record, decoded and valid
     * @param timestamp its event time
     * @param headers the input record's headers, to pass on unchanged
     */
    void process(Checked<T> checked, long timestamp, Headers headers);

    /** Called from the node's {@code close}. */
    default void close() {}
  }

  /** The source of a record Kafka Streams read from no topic (a punctuation's). */
  private static final Checked.Source NO_SOURCE = new Checked.Source("", -1, -1);

  private final Deserializer<T> deserializer;
  private final Check<T> check;
  private final EventTime<T> eventTime;
  private final Valid<T> valid;
  private final String rejectedChild;
  private ProcessorContext<String, Object> context;

  /**
   * @param valid what happens to a valid record
   * @param rejectedChild the name of the processor that gets the rejected ones
   */
  public ValidateProcessor(Deserializer<T> deserializer, Check<T> check, EventTime<T> eventTime,
      Valid<T> valid, String rejectedChild) {
    this.deserializer = deserializer;
    this.check = check;
    this.eventTime = eventTime;
    this.valid = valid;
    this.rejectedChild = rejectedChild;
  }

  /** A valid step that forwards each valid record, as a {@code Checked}, to {@code child}. */
  public static <T> Valid<T> forwardTo(String child) {
    return new Valid<>() {
      private ProcessorContext<String, Object> context;

      @Override
      public void init(ProcessorContext<String, Object> context) {
        this.context = context;
      }

      @Override
      public void process(Checked<T> checked, long timestamp, Headers headers) {
        context.forward(new Record<>(checked.key(), checked, timestamp, headers), child);
      }
    };
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    valid.init(context);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    Checked.Source source = source();
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    T value = null;
    Invalid invalid;
    if (record.value() == null) {
      invalid = new Invalid(RejectReason.DESERIALIZATION_FAILED, "the record has no value");
    } else {
      try {
        value = deserializer.deserialize(source.topic(), record.headers(), record.value());
        invalid = check.check(key, value, context.currentSystemTimeMs()).orElse(null);
      } catch (SchemaRegistryException e) {
        // The registry is down or refuses us: the record is fine. Fail the task; it is retried
        // from its last commit, so the record is neither lost nor dead-lettered.
        throw e;
      } catch (RuntimeException e) {
        invalid = new Invalid(RejectReason.DESERIALIZATION_FAILED, e.getMessage());
      }
    }
    Checked<T> checked = new Checked<>(key, invalid == null ? value : null, invalid, record.key(),
        record.value(), source);
    if (checked.isValid()) {
      valid.process(checked, eventTime.millis(value), record.headers());
    } else {
      context.forward(new Record<>(key, checked, record.timestamp(), record.headers()),
          rejectedChild);
    }
  }

  @Override
  public void close() {
    valid.close();
  }

  /** Where the record being processed was read: its topic, partition and offset. */
  private Checked.Source source() {
    Optional<RecordMetadata> metadata = context.recordMetadata();
    if (metadata.isEmpty()) {
      return NO_SOURCE;
    }
    RecordMetadata m = metadata.get();
    return new Checked.Source(m.topic(), m.partition(), m.offset());
  }
}
