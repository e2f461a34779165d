package io.chipstream.streams.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/** Avro records as plain JSON: instants as ISO-8601, enums by name, nulls as null. */
final class AvroJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private AvroJson() {}

  static ObjectNode of(IndexedRecord record) {
    ObjectNode node = MAPPER.createObjectNode();
    for (Schema.Field field : record.getSchema().getFields()) {
      node.set(field.name(), value(record.get(field.pos())));
    }
    return node;
  }

  private static JsonNode value(Object value) {
    if (value == null) {
      return MAPPER.nullNode();
    }
    if (value instanceof IndexedRecord record) {
      return of(record);
    }
    if (value instanceof Instant instant) {
      return MAPPER.getNodeFactory().textNode(instant.toString());
    }
    if (value instanceof Collection<?> items) {
      ArrayNode array = MAPPER.createArrayNode();
      items.forEach(item -> array.add(value(item)));
      return array;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = MAPPER.createObjectNode();
      map.forEach((k, v) -> object.set(k.toString(), value(v)));
      return object;
    }
    return MAPPER.valueToTree(value instanceof Enum<?> e ? e.name()
        : value instanceof CharSequence s ? s.toString() : value);
  }
}
