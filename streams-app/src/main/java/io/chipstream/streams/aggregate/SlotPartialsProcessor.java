package io.chipstream.streams.aggregate;

import io.chipstream.streams.avro.FamilyWindowAggregate;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A processor node that only sums its input's records per family and slot ({@link
 * SlotPartials}) and sends the sums to all its children: for records made by a node that cannot
 * sum them itself (telemetry observations, made by the DSL's join and map).
 *
 * @param <V> the record type
 */
public final class SlotPartialsProcessor<V>
    implements Processor<String, V, String, FamilyWindowAggregate> {
  private final SlotPartials<V> partials;

  public SlotPartialsProcessor(SlotPartials<V> partials) {
    this.partials = partials;
  }

  @Override
  public void init(ProcessorContext<String, FamilyWindowAggregate> context) {
    partials.init(context, null);
  }

  @Override
  public void process(Record<String, V> record) {
    partials.add(record.value(), record.timestamp());
  }
}
