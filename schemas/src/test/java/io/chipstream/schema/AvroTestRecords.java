package io.chipstream.schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.avro.util.Utf8;

/** Records and their bytes for the serde tests: Avro's own encoding, and variants to try. */
public final class AvroTestRecords {
  private AvroTestRecords() {}

  /** The record in Avro's binary encoding, by Avro's own writer. */
  public static byte[] encode(SpecificRecord record) throws IOException {
    return encode(new SpecificDatumWriter<>(record.getSchema()), record);
  }

  /** The record in Avro's binary encoding, by {@code writer}. */
  public static <T> byte[] encode(DatumWriter<T> writer, T record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    writer.write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  /** One example of every record type of the project, for the serde tests to go through. */
  public static List<SpecificRecordBase> examples() {
    return List.of(Examples.inferentia2(), Examples.request(), Examples.telemetry(),
        Examples.decision(), Examples.efficiency());
  }

  /** The record, then for each optional field (a union with null) a copy without it. */
  public static List<SpecificRecordBase> variants(SpecificRecordBase record) {
    Schema schema = record.getSchema();
    SpecificData model = SpecificData.getForSchema(schema);
    List<SpecificRecordBase> variants = new ArrayList<>();
    variants.add(record);
    SpecificRecordBase allLeftOut = model.deepCopy(schema, record);
    for (Schema.Field field : schema.getFields()) {
      if (field.schema().isNullable()) {
        SpecificRecordBase copy = model.deepCopy(schema, record);
        copy.put(field.pos(), null);
        allLeftOut.put(field.pos(), null);
        variants.add(copy);
      }
    }
    variants.add(allLeftOut);
    return variants;
  }

  /**
   * A generic record with a value of every Avro type: negative and extreme numbers, a string
   * with non-ASCII characters and one long enough for a two-byte length, bytes, a fixed, an
   * enum, an array, a map of records and a union.
   */
  public static GenericRecord everyKindOfValue() {
    Schema inner = SchemaBuilder.record("Inner").fields().requiredInt("n").endRecord();
    Schema schema = SchemaBuilder.record("Everything").fields()
        .requiredBoolean("flag").requiredInt("i").requiredLong("l").requiredFloat("f")
        .requiredDouble("d").requiredString("s").requiredString("longer").requiredBytes("b")
        .name("fixed").type().fixed("Four").size(4).noDefault()
        .name("symbol").type().enumeration("Suit").symbols("HEARTS", "SPADES").noDefault()
        .name("list").type().array().items().longType().noDefault()
        .name("empty").type().array().items().intType().noDefault()
        .name("map").type().map().values(inner).noDefault()
        .name("maybe").type().unionOf().nullType().and().stringType().endUnion().nullDefault()
        .endRecord();
    GenericData model = GenericData.get();
    GenericRecord record = new GenericData.Record(schema);
    record.put("flag", true);
    record.put("i", -123_456);
    record.put("l", Long.MIN_VALUE);
    record.put("f", -1.5f);
    record.put("d", -2.25e300);
    record.put("s", new Utf8("h\u00e9llo, w\u00f6rld \u2603"));
    record.put("longer", new Utf8("x".repeat(200)));
    record.put("b", ByteBuffer.wrap(new byte[] {1, 2, 3}));
    record.put("fixed", model.createFixed(null, new byte[] {9, 8, 7, 6},
        schema.getField("fixed").schema()));
    record.put("symbol", model.createEnum("SPADES", schema.getField("symbol").schema()));
    record.put("list", Arrays.asList(0L, 1L, -1L, Long.MAX_VALUE));
    record.put("empty", List.of());
    GenericRecord one = new GenericData.Record(inner);
    one.put("n", 42);
    record.put("map", Map.of(new Utf8("k\u00e9y"), one)); // a non-ASCII key: a String when written
    record.put("maybe", new Utf8("here"));
    return record;
  }
}
