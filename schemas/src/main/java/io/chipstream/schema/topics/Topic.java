package io.chipstream.schema.topics;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with the serdes of its keys and values, so no code passes a name and a serde apart.
 *
 * @param name the topic name
 * @param keySerde how its keys are written
 * @param valueSerde how its values are written
 * @param <K> key type
 * @param <V> value type
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
  @Override
  public String toString() {
    return name;
  }
}
