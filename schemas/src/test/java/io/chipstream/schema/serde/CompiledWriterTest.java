package io.chipstream.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipstream.avro.RoutingDecision;
import io.chipstream.schema.Examples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/** The compiled writer writes exactly Avro's bytes, for every record type of the project. */
class CompiledWriterTest {

  @Test
  void writesAvrosBytesForEveryRecordTypeAndEveryOptionalFieldLeftOut() throws IOException {
    List<SpecificRecordBase> examples = List.of(Examples.inferentia2(), Examples.request(),
        Examples.telemetry(), Examples.decision(), Examples.efficiency());
    int compared = 0;
    for (SpecificRecordBase example : examples) {
      for (SpecificRecordBase variant : variants(example)) {
        Schema schema = variant.getSchema();
        byte[] avro = encode(new SpecificDatumWriter<>(schema), variant);
        byte[] ours = encode(new CompiledWriter(schema, SpecificData.getForSchema(schema)),
            variant);
        assertThat(ours).as("%s", variant).isEqualTo(avro);
        compared++;
      }
    }
    assertThat(compared).as("examples and their variants").isGreaterThan(examples.size() * 2);
  }

  @Test
  void aMissingRequiredFieldIsNamed() {
    RoutingDecision decision = Examples.decision();
    decision.setChipModel(null);
    Schema schema = decision.getSchema();

    assertThatThrownBy(() -> encode(new CompiledWriter(schema,
        SpecificData.getForSchema(schema)), decision))
        .isInstanceOf(AvroTypeException.class)
        .hasMessageContaining("chipModel")
        .hasMessageContaining("RoutingDecision");
  }

  /** The record, then for each optional field (a union with null) a copy without it. */
  private static List<SpecificRecordBase> variants(SpecificRecordBase record) {
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

  private static byte[] encode(DatumWriter<Object> writer, Object record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    writer.write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
