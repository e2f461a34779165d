package io.chipstream.streams.validate;

import io.chipstream.schema.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes a raw record and checks it. Never throws for bad input: every record comes out as a
 * {@link Checked}, valid or with its reason, stamped with its event time, and goes to the child
 * for valid records or the one for rejected records, by name: a branch (split) would add two
 * processor nodes to every record's path, and the framework's cost per node showed in the
 * profile.
 *
 * @param <T> the value type
 */
public final class ValidateProcessor<T> implements Processor<byte[], byte[], String, Checked<T>> {
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

  private final Deserializer<T> deserializer;
  private final Check<T> check;
  private final EventTime<T> eventTime;
  private final String validChild;
  private final String rejectedChild;
  private ProcessorContext<String, Checked<T>> context;

  /**
   * @param validChild the name of the processor that gets the valid records
   * @param rejectedChild the name of the processor that gets the rejected ones
   */
  public ValidateProcessor(Deserializer<T> deserializer, Check<T> check, EventTime<T> eventTime,
      String validChild, String rejectedChild) {
    this.deserializer = deserializer;
    this.check = check;
    this.eventTime = eventTime;
    this.validChild = validChild;
    this.rejectedChild = rejectedChild;
  }

  @Override
  public void init(ProcessorContext<String, Checked<T>> context) {
    this.context = context;
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
    long timestamp = checked.isValid() ? eventTime.millis(value) : record.timestamp();
    context.forward(new Record<>(key, checked, timestamp, record.headers()),
        checked.isValid() ? validChild : rejectedChild);
  }

  private Checked.Source source() {
    Optional<RecordMetadata> metadata = context.recordMetadata();
    return metadata.map(m -> new Checked.Source(m.topic(), m.partition(), m.offset()))
        .orElse(new Checked.Source("", -1, -1));
  }
}
