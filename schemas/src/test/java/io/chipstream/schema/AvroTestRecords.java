package io.chipstream.schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

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
}
