package io.chipstream.streams;

import io.chipstream.schema.registry.SchemaRegistryException;
import java.util.function.BiConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Reads a store's rows, leaving out those that cannot be decoded. Kafka Streams fills a global
 * store (the chip catalog) at start-up from its topic without decoding the rows, so a bad row
 * written to the topic by hand is in the store and fails whoever reads it; read whole, one such
 * row would fail every read. A registry that cannot be asked is not the row's fault: that
 * failure is thrown, for the reader to be retried.
 */
public final class ReadableRows {
  private ReadableRows() {}

  /**
   * Hands {@code action} every row of {@code rows} that decodes, in order.
   *
   * @return how many rows were left out
   * @throws SerializationException the registry's failure, when it could not be asked
   */
  public static <K, V> int forEach(KeyValueIterator<K, V> rows, BiConsumer<K, V> action) {
    int unreadable = 0;
    while (rows.hasNext()) {
      KeyValue<K, V> row;
      try {
        // The store's iterator has moved past the row when decoding it throws.
        row = rows.next();
      } catch (SerializationException e) {
        // Only a row that cannot be decoded: anything else (a closed store, a bug) is thrown.
        if (SchemaRegistryException.isOutage(e)) {
          throw e;
        }
        unreadable++;
        continue;
      }
      action.accept(row.key, row.value);
    }
    return unreadable;
  }
}
