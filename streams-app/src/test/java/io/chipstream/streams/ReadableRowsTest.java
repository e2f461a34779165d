package io.chipstream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipstream.schema.registry.SchemaRegistryException;
import java.net.ConnectException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

class ReadableRowsTest {

  @Test
  void rowsThatCannotBeDecodedAreLeftOutAndCounted() {
    Map<String, String> read = new LinkedHashMap<>();
    int unreadable = ReadableRows.forEach(rows(List.of(
        () -> KeyValue.pair("a17-pro", "ok"),
        () -> {
          throw new SerializationException("unknown magic byte");
        },
        () -> KeyValue.pair("m4", "ok"),
        () -> {
          throw new SerializationException("truncated");
        })), read::put);
    assertThat(unreadable).isEqualTo(2);
    assertThat(read).containsExactly(Map.entry("a17-pro", "ok"), Map.entry("m4", "ok"));
  }

  @Test
  void aRegistryThatCannotBeAskedIsThrownNotSkipped() {
    SchemaRegistryException down =
        new SchemaRegistryException.UnreachableException("down", new ConnectException());
    assertThatThrownBy(() -> ReadableRows.forEach(rows(List.of(
        () -> {
          throw new SerializationException("cannot decode", down);
        })), (k, v) -> { })).hasRootCauseInstanceOf(ConnectException.class);
  }

  /** An iterator whose next() runs each supplier in turn, as a store's moves past a bad row. */
  private static KeyValueIterator<String, String> rows(
      List<Supplier<KeyValue<String, String>>> rows) {
    Iterator<Supplier<KeyValue<String, String>>> it = rows.iterator();
    return new KeyValueIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public KeyValue<String, String> next() {
        return it.next().get();
      }

      @Override
      public void close() {}

      @Override
      public String peekNextKey() {
        throw new UnsupportedOperationException();
      }
    };
  }
}
