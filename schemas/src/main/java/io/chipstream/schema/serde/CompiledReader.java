package io.chipstream.schema.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.ObjDoubleConsumer;
import java.util.function.ObjIntConsumer;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.InvalidNumberEncodingException;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.data.TimeConversions.TimestampMillisConversion;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.util.Utf8;

/**
 * Reads records of one schema from Avro's binary encoding, straight from the bytes, with every
 * per-value decision (the type to read, the logical-type conversion, the enum constant, how to
 * make the record) taken once, when the reader is built; a generated class is made through its
 * constructor and typed setters, bound once ({@link FieldSetters}), not reflection and boxes. Only for bytes written with the same
 * layout as the reader's schema ({@link #sameLayout}); anything else needs Avro's resolving
 * reader. Avro's reader spent a tenth of the stream thread decoding requests in a profile, part
 * of it in copying the last bytes of every record to a new buffer (its decoder wants a few
 * spare bytes past any value it reads). {@code CompiledReaderTest} compares what it reads with
 * Avro's reader for every schema of the project.
 */
final class CompiledReader {
  /** Reads one value of a schema. */
  @FunctionalInterface
  private interface ValueReader {
    Object read(Input in) throws IOException;
  }

  private final GenericData model;
  private final Map<Schema, RecordReader> records = new HashMap<>();
  private final ValueReader root;

  /**
   * @param schema the schema the bytes were written with, and the one to read them as
   * @param model the data model that makes the records, enums and logical values (a generated
   *     class's own model, for its class and its conversions)
   */
  CompiledReader(Schema schema, GenericData model) {
    this.model = model;
    this.root = readerFor(schema);
  }

  /**
   * Whether bytes written with {@code writer} can be read as {@code reader} as they are: the
   * same parsing canonical form, so the same fields, types, symbols and branches in the same
   * order (docs, defaults and logical-type annotations may differ; the reader's decide).
   */
  static boolean sameLayout(Schema writer, Schema reader) {
    return writer == reader || SchemaNormalization.parsingFingerprint64(writer)
        == SchemaNormalization.parsingFingerprint64(reader);
  }

  /** The value encoded in {@code length} bytes of {@code bytes} from {@code offset}. */
  Object read(byte[] bytes, int offset, int length) throws IOException {
    return root.read(new Input(bytes, offset, offset + length));
  }

  private ValueReader readerFor(Schema schema) {
    LogicalType logicalType = schema.getLogicalType();
    Conversion<?> conversion = logicalType == null ? null : model.getConversionFor(logicalType);
    ValueReader raw = rawReaderFor(schema);
    if (conversion == null) {
      return raw;
    }
    return in -> Conversions.convertToLogicalType(raw.read(in), schema, logicalType,
        conversion);
  }

  private ValueReader rawReaderFor(Schema schema) {
    return switch (schema.getType()) {
      case NULL -> in -> null;
      case BOOLEAN -> Input::readBoolean;
      case INT -> Input::readInt;
      case LONG -> Input::readLong;
      case FLOAT -> Input::readFloat;
      case DOUBLE -> Input::readDouble;
      case STRING -> javaString(schema) ? Input::readString : Input::readUtf8;
      case BYTES -> in -> ByteBuffer.wrap(in.readBytes(in.readLength()));
      case FIXED -> in -> model.createFixed(null, in.readBytes(schema.getFixedSize()), schema);
      case ENUM -> enumReader(schema);
      case ARRAY -> arrayReader(schema, readerFor(schema.getElementType()));
      case MAP -> mapReader(javaString(schema), readerFor(schema.getValueType()));
      case UNION -> unionReader(schema);
      case RECORD -> recordReader(schema);
    };
  }

  /** Strings as {@code String} where the schema asks for it (generated classes do), else Utf8. */
  private static boolean javaString(Schema schema) {
    return "String".equals(schema.getProp(GenericData.STRING_PROP));
  }

  private ValueReader enumReader(Schema schema) {
    List<String> symbols = schema.getEnumSymbols();
    Object[] values = new Object[symbols.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = model.createEnum(symbols.get(i), schema);
    }
    return in -> {
      int index = in.readInt();
      if (index < 0 || index >= values.length) {
        throw new AvroRuntimeException("enum " + schema.getFullName() + " has no symbol "
            + index);
      }
      return values[index];
    };
  }

  private ValueReader arrayReader(Schema schema, ValueReader element) {
    return in -> {
      long count = in.readBlockCount();
      @SuppressWarnings("unchecked")
      Collection<Object> items = (Collection<Object>) model.newArray(null,
          (int) Math.min(count, in.remaining()), schema);
      while (count > 0) {
        for (long i = 0; i < count; i++) {
          items.add(element.read(in));
        }
        count = in.readBlockCount();
      }
      return items;
    };
  }

  private ValueReader mapReader(boolean javaStringKeys, ValueReader valueReader) {
    return in -> {
      long count = in.readBlockCount();
      @SuppressWarnings("unchecked")
      Map<Object, Object> map = (Map<Object, Object>) model.newMap(null,
          (int) Math.min(count, in.remaining()));
      while (count > 0) {
        for (long i = 0; i < count; i++) {
          Object key = javaStringKeys ? in.readString() : in.readUtf8();
          map.put(key, valueReader.read(in));
        }
        count = in.readBlockCount();
      }
      return map;
    };
  }

  private ValueReader unionReader(Schema union) {
    List<Schema> branches = union.getTypes();
    ValueReader[] readers = new ValueReader[branches.size()];
    for (int i = 0; i < readers.length; i++) {
      readers[i] = readerFor(branches.get(i));
    }
    return in -> {
      int branch = in.readInt();
      if (branch < 0 || branch >= readers.length) {
        throw new AvroRuntimeException("union " + union + " has no branch " + branch);
      }
      return readers[branch].read(in);
    };
  }

  private ValueReader recordReader(Schema schema) {
    RecordReader existing = records.get(schema);
    if (existing != null) {
      return existing; // a recursive schema: the reader being built
    }
    Class<?> generated = GeneratedClass.of(model, schema);
    Supplier<Object> constructor = generated == null ? null
        : FieldSetters.constructor(generated);
    if (constructor == null) {
      GenericData.InstanceSupplier supplier = model.getNewRecordSupplier(schema);
      constructor = () -> supplier.newInstance(null, schema);
    }
    RecordReader reader = new RecordReader(constructor, schema.getFields().size());
    records.put(schema, reader);
    for (Schema.Field field : schema.getFields()) {
      FieldReader typed = generated == null ? null : typedFieldReader(generated, field);
      reader.fields[field.pos()] = typed != null ? typed : fieldReader(field);
    }
    return reader;
  }

  private FieldReader fieldReader(Schema.Field field) {
    int pos = field.pos();
    ValueReader value = readerFor(field.schema());
    return (record, in) -> ((IndexedRecord) record).put(pos, value.read(in));
  }

  /**
   * A reader of {@code field} through the generated class's typed setter, for the types that
   * would box on their way through {@code put(int, Object)}: {@code int}, {@code long}, {@code
   * double} and {@code timestamp-millis}; null for any other, or when the class has no setter.
   */
  private FieldReader typedFieldReader(Class<?> generated, Schema.Field field) {
    Schema schema = field.schema();
    LogicalType logicalType = schema.getLogicalType();
    String name = field.name();
    if (logicalType == null) {
      switch (schema.getType()) {
        case INT -> {
          ObjIntConsumer<Object> set = FieldSetters.intSetter(generated, name);
          return set == null ? null : (record, in) -> set.accept(record, in.readInt());
        }
        case LONG -> {
          ObjLongConsumer<Object> set = FieldSetters.longSetter(generated, name);
          return set == null ? null : (record, in) -> set.accept(record, in.readLong());
        }
        case DOUBLE -> {
          ObjDoubleConsumer<Object> set = FieldSetters.doubleSetter(generated, name);
          return set == null ? null : (record, in) -> set.accept(record, in.readDouble());
        }
        default -> {
          return null;
        }
      }
    }
    Conversion<?> conversion = model.getConversionFor(logicalType);
    if (schema.getType() == Schema.Type.LONG
        && conversion instanceof TimestampMillisConversion) {
      BiConsumer<Object, Instant> set = FieldSetters.instantSetter(generated, name);
      // What the conversion's fromLong does, without the box.
      return set == null ? null
          : (record, in) -> set.accept(record, Instant.ofEpochMilli(in.readLong()));
    }
    return null;
  }

  /** Reads one field's value into a record. */
  @FunctionalInterface
  private interface FieldReader {
    void read(Object record, Input in) throws IOException;
  }

  private static final class RecordReader implements ValueReader {
    final Supplier<Object> constructor;
    final FieldReader[] fields;

    RecordReader(Supplier<Object> constructor, int fieldCount) {
      this.constructor = constructor;
      this.fields = new FieldReader[fieldCount];
    }

    @Override
    public Object read(Input in) throws IOException {
      Object record = constructor.get();
      for (FieldReader field : fields) {
        field.read(record, in);
      }
      return record;
    }
  }

  /** The bytes being read and the position in them: Avro's binary encoding, decoded in place. */
  private static final class Input {
    private final byte[] buf;
    private final int limit;
    private int pos;

    Input(byte[] buf, int pos, int limit) {
      this.buf = buf;
      this.pos = pos;
      this.limit = limit;
    }

    int remaining() {
      return limit - pos;
    }

    private void need(int n) throws EOFException {
      if (n < 0 || limit - pos < n) {
        throw new EOFException("a value runs past the end of the record");
      }
    }

    boolean readBoolean() throws IOException {
      need(1);
      return buf[pos++] != 0;
    }

    /** A zig-zag varint of at most five bytes. */
    int readInt() throws IOException {
      int n = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        need(1);
        byte b = buf[pos++];
        n |= (b & 0x7f) << shift;
        if (b >= 0) {
          return (n >>> 1) ^ -(n & 1);
        }
      }
      throw new InvalidNumberEncodingException("an int longer than five bytes");
    }

    /** A zig-zag varint of at most ten bytes. */
    long readLong() throws IOException {
      long n = 0;
      for (int shift = 0; shift < 70; shift += 7) {
        need(1);
        byte b = buf[pos++];
        n |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return (n >>> 1) ^ -(n & 1);
        }
      }
      throw new InvalidNumberEncodingException("a long longer than ten bytes");
    }

    float readFloat() throws IOException {
      need(4);
      int bits = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16
          | (buf[pos + 3] & 0xff) << 24;
      pos += 4;
      return Float.intBitsToFloat(bits);
    }

    double readDouble() throws IOException {
      need(8);
      long bits = 0;
      for (int i = 7; i >= 0; i--) {
        bits = bits << 8 | (buf[pos + i] & 0xff);
      }
      pos += 8;
      return Double.longBitsToDouble(bits);
    }

    /** A length prefix (of a string or bytes), checked against what is left. */
    int readLength() throws IOException {
      long length = readLong();
      if (length < 0 || length > remaining()) {
        throw new EOFException("a length of " + length + " with " + remaining()
            + " bytes left");
      }
      return (int) length;
    }

    String readString() throws IOException {
      int length = readLength();
      String value = new String(buf, pos, length, StandardCharsets.UTF_8);
      pos += length;
      return value;
    }

    Utf8 readUtf8() throws IOException {
      return new Utf8(readBytes(readLength()));
    }

    byte[] readBytes(int length) throws IOException {
      need(length);
      byte[] bytes = new byte[length];
      System.arraycopy(buf, pos, bytes, 0, length);
      pos += length;
      return bytes;
    }

    /**
     * The item count of an array or map block; a negative count is followed by its size. More
     * items than bytes left is refused, as every item takes a byte at least (the schemas here
     * have no arrays or maps of nulls), so a corrupt count cannot make the reader loop or
     * allocate without end.
     */
    long readBlockCount() throws IOException {
      long count = readLong();
      if (count < 0) {
        readLong(); // the block's size in bytes, for skipping: not needed here
        count = -count;
      }
      if (count > remaining()) {
        throw new EOFException("a block of " + count + " items with " + remaining()
            + " bytes left");
      }
      return count;
    }
  }
}
