package io.chipstream.streams.validate;

import io.chipstream.streams.PipelineMetrics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns a rejected record back into its original key and value bytes, with headers that say why
 * and where from, and counts it by reason. The header names are those of Kafka Streams' own
 * dead-letter records ({@code __streams.errors.*}), so one consumer reads both kinds, plus
 * {@code chipstream.error.reason} with the reason code.
 */
public final class DeadLetterProcessor<T> implements Processor<String, Checked<T>, byte[], byte[]> {
  public static final String REASON = "chipstream.error.reason";
  public static final String EXCEPTION = "__streams.errors.exception";
  public static final String MESSAGE = "__streams.errors.message";
  public static final String TOPIC = "__streams.errors.topic";
  public static final String PARTITION = "__streams.errors.partition";
  public static final String OFFSET = "__streams.errors.offset";

  private ProcessorContext<byte[], byte[]> context;
  private PipelineMetrics metrics;

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.metrics = new PipelineMetrics(context.metrics(), PipelineMetrics.DEAD_LETTERS)
        .register(java.util.Arrays.stream(RejectReason.values()).map(Enum::name).toList());
  }

  @Override
  public void process(Record<String, Checked<T>> record) {
    Checked<T> checked = record.value();
    Headers headers = new RecordHeaders(record.headers().toArray());
    put(headers, REASON, checked.invalid().reason().name());
    put(headers, EXCEPTION, "io.chipstream.streams.validate." + checked.invalid().reason().name());
    put(headers, MESSAGE, String.valueOf(checked.invalid().message()));
    put(headers, TOPIC, checked.source().topic());
    put(headers, PARTITION, Integer.toString(checked.source().partition()));
    put(headers, OFFSET, Long.toString(checked.source().offset()));
    metrics.count(checked.invalid().reason().name());
    context.forward(new Record<>(checked.rawKey(), checked.rawValue(), record.timestamp(),
        headers));
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
