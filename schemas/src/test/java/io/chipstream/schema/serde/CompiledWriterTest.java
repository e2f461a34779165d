package io.chipstream.schema.serde;

import static io.chipstream.schema.AvroTestRecords.encode;
import static io.chipstream.schema.AvroTestRecords.variants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipstream.avro.RoutingDecision;
import io.chipstream.schema.AvroTestRecords;
import io.chipstream.schema.Examples;
import java.io.IOException;
import java.util.List;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/** The compiled writer writes exactly Avro's bytes, for every record type of the project. */
class CompiledWriterTest {

  @Test
  void writesAvrosBytesForEveryRecordTypeAndEveryOptionalFieldLeftOut() throws IOException {
    List<SpecificRecordBase> examples = AvroTestRecords.examples();
    int compared = 0;
    for (SpecificRecordBase example : examples) {
      for (SpecificRecordBase variant : variants(example)) {
        Schema schema = variant.getSchema();
        byte[] avro = encode(new SpecificDatumWriter<>(schema), variant);
        byte[] ours = compiled(new CompiledWriter(schema, SpecificData.getForSchema(schema)),
            variant);
        assertThat(ours).as("%s", variant).isEqualTo(avro);
        compared++;
      }
    }
    assertThat(compared).as("examples and their variants").isGreaterThan(examples.size() * 2);
  }

  @Test
  void writesAvrosBytesForEveryKindOfValue() throws IOException {
    GenericRecord record = AvroTestRecords.everyKindOfValue();
    Schema schema = record.getSchema();

    assertThat(compiled(new CompiledWriter(schema, GenericData.get()), record))
        .isEqualTo(encode(new GenericDatumWriter<>(schema), record));
  }

  @Test
  void fieldsThatWouldBeBoxedAreReadThroughTheGeneratedGetters() {
    Schema schema = RoutingDecision.getClassSchema();
    SpecificData model = SpecificData.getForSchema(schema);
    for (String name : List.of("timestamp", "estimatedLatencyMs", "promptTokens")) {
      Schema.Field field = schema.getField(name);
      assertThat(FieldGetters.writer(RoutingDecision.class, field,
          model.getConversionFor(field.schema().getLogicalType()))).as(name).isNotNull();
    }
    Schema.Field chip = schema.getField("chipModel");
    assertThat(FieldGetters.writer(RoutingDecision.class, chip, null))
        .as("a string is not boxed: written through get(int)").isNull();
  }

  @Test
  void aMissingTimestampIsNamedToo() {
    RoutingDecision decision = Examples.decision();
    Schema schema = decision.getSchema();
    decision.put(schema.getField("timestamp").pos(), null); // its setter refuses null

    assertThatThrownBy(() -> compiled(new CompiledWriter(schema,
        SpecificData.getForSchema(schema)), decision))
        .isInstanceOf(AvroTypeException.class)
        .hasMessageContaining("field timestamp of io.chipstream.avro.RoutingDecision");
  }

  @Test
  void aMissingRequiredFieldIsNamed() {
    RoutingDecision decision = Examples.decision();
    decision.setChipModel(null);
    Schema schema = decision.getSchema();

    assertThatThrownBy(() -> compiled(new CompiledWriter(schema,
        SpecificData.getForSchema(schema)), decision))
        .isInstanceOf(AvroTypeException.class)
        .hasMessageContaining("chipModel")
        .hasMessageContaining("RoutingDecision");
  }

  /** What the compiled writer writes, from a small buffer so that it has to grow. */
  private static byte[] compiled(CompiledWriter writer, Object record) {
    Output out = new Output(8);
    out.reset(0);
    writer.write(record, out);
    return out.toByteArray();
  }
}
