package io.chipstream.schema.serde;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.util.Utf8;

/**
 * Writes records of one schema in Avro's binary encoding, with every per-value decision (the
 * type to write, the logical-type conversion, the union branch's test) taken once, when the
 * writer is built. Avro's own writer makes them per value for records with logical types (ours
 * have {@code timestamp-millis}): about half of the time spent encoding a decision, 9% of the
 * stream thread in a profile. It writes into an {@link Output}, a plain growable array, rather
 * than through Avro's encoder, whose buffer, stream and final copy cost as much again. The
 * bytes are Avro's; {@code CompiledWriterTest} compares them with Avro's writer for every
 * schema of the project.
 */
final class CompiledWriter {
  /** Writes one value of a schema. */
  @FunctionalInterface
  private interface ValueWriter {
    void write(Object value, Output out);
  }

  private final GenericData model;
  private final Map<Schema, RecordWriter> records = new HashMap<>();
  private final ValueWriter root;

  /**
   * @param schema the schema of the records to write
   * @param model the data model whose conversions turn logical values (an {@code Instant}) into
   *     Avro's (a long): a generated class's own model
   */
  CompiledWriter(Schema schema, GenericData model) {
    this.model = model;
    this.root = writerFor(schema);
  }

  /** Appends {@code datum}'s encoding to {@code out}. */
  void write(Object datum, Output out) {
    root.write(datum, out);
  }

  private ValueWriter writerFor(Schema schema) {
    LogicalType logicalType = schema.getLogicalType();
    Conversion<?> conversion = logicalType == null ? null : model.getConversionFor(logicalType);
    ValueWriter raw = rawWriterFor(schema);
    if (conversion == null) {
      return raw;
    }
    return (value, out) -> raw.write(
        value == null || !conversion.getConvertedType().isInstance(value) ? value
            : Conversions.convertToRawType(value, schema, logicalType, conversion), out);
  }

  private ValueWriter rawWriterFor(Schema schema) {
    return switch (schema.getType()) {
      case NULL -> (value, out) -> {
        if (value != null) {
          throw new AvroTypeException("not null: " + value);
        }
      };
      case BOOLEAN -> (value, out) -> out.writeBoolean((Boolean) value);
      case INT -> (value, out) -> out.writeInt(((Number) value).intValue());
      case LONG -> (value, out) -> out.writeLong(((Number) value).longValue());
      case FLOAT -> (value, out) -> out.writeFloat(((Number) value).floatValue());
      case DOUBLE -> (value, out) -> out.writeDouble(((Number) value).doubleValue());
      case STRING -> (value, out) -> {
        if (value instanceof String string) {
          out.writeString(string);
        } else if (value instanceof Utf8 utf8) {
          out.writeBytes(utf8.getBytes(), 0, utf8.getByteLength());
        } else {
          out.writeString(value.toString());
        }
      };
      case BYTES -> (value, out) -> {
        if (value instanceof byte[] bytes) {
          out.writeBytes(bytes, 0, bytes.length);
        } else {
          ByteBuffer buffer = ((ByteBuffer) value).duplicate();
          byte[] bytes = new byte[buffer.remaining()];
          buffer.get(bytes);
          out.writeBytes(bytes, 0, bytes.length);
        }
      };
      case FIXED -> (value, out) -> out.writeFixed(((GenericFixed) value).bytes(),
          schema.getFixedSize());
      case ENUM -> (value, out) -> out.writeInt(value instanceof Enum<?> symbol
          ? symbol.ordinal() : schema.getEnumOrdinal(value.toString()));
      case ARRAY -> arrayWriter(writerFor(schema.getElementType()));
      case MAP -> mapWriter(writerFor(schema.getValueType()));
      case UNION -> unionWriter(schema);
      case RECORD -> recordWriter(schema);
    };
  }

  /** One block of all the items (if any), then the empty block that ends the array. */
  private static ValueWriter arrayWriter(ValueWriter element) {
    return (value, out) -> {
      Collection<?> items = (Collection<?>) value;
      if (!items.isEmpty()) {
        out.writeLong(items.size());
        for (Object item : items) {
          element.write(item, out);
        }
      }
      out.writeLong(0);
    };
  }

  private static ValueWriter mapWriter(ValueWriter valueWriter) {
    return (value, out) -> {
      Map<?, ?> map = (Map<?, ?>) value;
      if (!map.isEmpty()) {
        out.writeLong(map.size());
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          out.writeString(entry.getKey().toString());
          valueWriter.write(entry.getValue(), out);
        }
      }
      out.writeLong(0);
    };
  }

  private ValueWriter unionWriter(Schema union) {
    List<Schema> branches = union.getTypes();
    ValueWriter[] writers = new ValueWriter[branches.size()];
    @SuppressWarnings("unchecked")
    Predicate<Object>[] tests = new Predicate[branches.size()];
    int nullBranch = -1;
    for (int i = 0; i < writers.length; i++) {
      writers[i] = writerFor(branches.get(i));
      tests[i] = accepts(branches.get(i));
      if (branches.get(i).getType() == Schema.Type.NULL) {
        nullBranch = i;
      }
    }
    int nullIndex = nullBranch;
    return (value, out) -> {
      int branch = value == null ? nullIndex : -1;
      for (int i = 0; branch < 0 && i < writers.length; i++) {
        if (tests[i].test(value)) {
          branch = i;
        }
      }
      if (branch < 0) {
        branch = model.resolveUnion(union, value); // throws, saying why, if none fits
      }
      out.writeInt(branch);
      writers[branch].write(value, out);
    };
  }

  /** Whether a union branch of this schema takes {@code value}, as Avro resolves unions. */
  private Predicate<Object> accepts(Schema schema) {
    LogicalType logicalType = schema.getLogicalType();
    Conversion<?> conversion = logicalType == null ? null : model.getConversionFor(logicalType);
    Predicate<Object> raw = switch (schema.getType()) {
      case NULL -> value -> value == null;
      case BOOLEAN -> value -> value instanceof Boolean;
      case INT -> value -> value instanceof Integer;
      case LONG -> value -> value instanceof Long;
      case FLOAT -> value -> value instanceof Float;
      case DOUBLE -> value -> value instanceof Double;
      case STRING -> value -> value instanceof CharSequence;
      case BYTES -> value -> value instanceof ByteBuffer;
      case ARRAY -> value -> value instanceof Collection;
      case MAP -> value -> value instanceof Map;
      // Named types: leave them to Avro's resolution, which matches them by full name.
      case FIXED, ENUM, RECORD, UNION -> value -> false;
    };
    if (conversion == null) {
      return raw;
    }
    Class<?> converted = conversion.getConvertedType();
    return value -> converted.isInstance(value) || raw.test(value);
  }

  private ValueWriter recordWriter(Schema schema) {
    RecordWriter existing = records.get(schema);
    if (existing != null) {
      return existing; // a recursive schema: the writer being built
    }
    RecordWriter writer = new RecordWriter(schema.getFields().size(),
        GeneratedClass.of(model, schema));
    records.put(schema, writer);
    for (Schema.Field field : schema.getFields()) {
      writer.names[field.pos()] = field.name();
      writer.fields[field.pos()] = writerFor(field.schema());
      if (writer.generated != null) {
        writer.direct[field.pos()] = FieldGetters.writer(writer.generated, field,
            model.getConversionFor(field.schema().getLogicalType()));
      }
    }
    return writer;
  }

  private static final class RecordWriter implements ValueWriter {
    final String[] names;
    final ValueWriter[] fields;
    /** The generated class whose getters {@link #direct} call; null for generic records. */
    final Class<?> generated;
    /**
     * Per field, a writer that takes the value from the generated class's typed getter (a
     * {@code double}, not the {@code Double} its {@code get(int)} boxes), or null.
     */
    final FieldGetters.FieldWriter[] direct;

    RecordWriter(int size, Class<?> generated) {
      names = new String[size];
      fields = new ValueWriter[size];
      this.generated = generated;
      direct = new FieldGetters.FieldWriter[size];
    }

    @Override
    public void write(Object value, Output out) {
      IndexedRecord record = (IndexedRecord) value;
      boolean typed = value.getClass() == generated;
      for (int i = 0; i < fields.length; i++) {
        try {
          if (typed && direct[i] != null) {
            direct[i].write(record, out);
          } else {
            fields[i].write(record.get(i), out);
          }
        } catch (NullPointerException | ClassCastException e) {
          throw new AvroTypeException("field " + names[i] + " of "
              + record.getSchema().getFullName() + ": " + (e instanceof NullPointerException
              ? "null, and the schema does not allow it" : e.getMessage()), e);
        }
      }
    }
  }
}
