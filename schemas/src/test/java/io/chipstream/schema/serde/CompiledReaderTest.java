package io.chipstream.schema.serde;

import static io.chipstream.schema.AvroTestRecords.encode;
import static io.chipstream.schema.AvroTestRecords.variants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.schema.AvroTestRecords;
import io.chipstream.schema.Examples;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

/** The compiled reader reads what Avro's reader reads, for every record type of the project. */
class CompiledReaderTest {

  @Test
  void readsWhatAvroReadsForEveryRecordTypeAndEveryOptionalFieldLeftOut() throws IOException {
    List<SpecificRecordBase> examples = AvroTestRecords.examples();
    int compared = 0;
    for (SpecificRecordBase example : examples) {
      for (SpecificRecordBase variant : variants(example)) {
        Schema schema = variant.getSchema();
        byte[] bytes = encode(variant);
        Object avro = new SpecificDatumReader<>(schema, schema).read(null,
            DecoderFactory.get().binaryDecoder(bytes, null));
        Object ours = new CompiledReader(schema, SpecificData.getForSchema(schema))
            .read(bytes, 0, bytes.length);
        assertThat(ours).as("%s", variant).isInstanceOf(variant.getClass())
            .isEqualTo(avro).isEqualTo(variant);
        compared++;
      }
    }
    assertThat(compared).as("examples and their variants").isGreaterThan(examples.size() * 2);
  }

  @Test
  void generatedClassesAreMadeAndFilledThroughTheirConstructorAndTypedSetters() {
    Class<InferenceRequest> generated = InferenceRequest.class;
    assertThat(FieldSetters.constructor(generated).get()).isInstanceOf(generated);
    InferenceRequest request = new InferenceRequest();
    FieldSetters.intSetter(generated, "promptTokens").accept(request, 4_000);
    FieldSetters.instantSetter(generated, "timestamp").accept(request, Instant.ofEpochMilli(7));
    assertThat(request.getPromptTokens()).isEqualTo(4_000);
    assertThat(request.getTimestamp()).isEqualTo(Instant.ofEpochMilli(7));
    assertThat(FieldSetters.doubleSetter(RoutingDecision.class, "estimatedLatencyMs"))
        .isNotNull();
    assertThat(FieldSetters.longSetter(generated, "promptTokens"))
        .as("an int field has no long setter: read through put(int, Object)").isNull();
    assertThat(FieldSetters.intSetter(generated, "noSuchField")).isNull();
  }

  @Test
  void readsFromAnOffsetWithinLargerBytes() throws IOException {
    InferenceRequest request = Examples.request();
    byte[] body = encode(request);
    byte[] framed = new byte[body.length + 9];
    System.arraycopy(body, 0, framed, 5, body.length);
    Schema schema = request.getSchema();

    Object read = new CompiledReader(schema, SpecificData.getForSchema(schema))
        .read(framed, 5, body.length);

    assertThat(read).isEqualTo(request);
  }

  @Test
  void genericRecordsWithEveryKindOfValueReadAsAvroReadsThem() throws IOException {
    GenericRecord record = AvroTestRecords.everyKindOfValue();
    Schema schema = record.getSchema();
    byte[] bytes = encode(new GenericDatumWriter<>(schema), record);

    Object avro = new GenericDatumReader<GenericRecord>(schema).read(null,
        DecoderFactory.get().binaryDecoder(bytes, null));
    Object ours = new CompiledReader(schema, GenericData.get()).read(bytes, 0, bytes.length);

    assertThat(ours).isEqualTo(avro);
  }

  @Test
  void aTruncatedRecordIsAnEndOfInputNotAnIndexError() throws IOException {
    RoutingDecision decision = Examples.decision();
    byte[] bytes = encode(decision);
    CompiledReader reader = new CompiledReader(decision.getSchema(),
        SpecificData.getForSchema(decision.getSchema()));

    for (int length = 0; length < bytes.length; length++) {
      int cut = length;
      assertThatThrownBy(() -> reader.read(bytes, 0, cut)).as("cut at %d", cut)
          .isInstanceOf(EOFException.class);
    }
  }

  @Test
  void anEnumIndexOutOfRangeIsRefusedNamingTheEnum() {
    Schema schema = SchemaBuilder.record("R").fields()
        .name("symbol").type().enumeration("Suit").symbols("HEARTS", "SPADES").noDefault()
        .endRecord();
    byte[] bytes = {(byte) 0x0a}; // index 5, zig-zag encoded

    assertThatThrownBy(() -> new CompiledReader(schema, GenericData.get())
        .read(bytes, 0, bytes.length))
        .isInstanceOf(AvroRuntimeException.class)
        .hasMessageContaining("Suit");
  }

  @Test
  void aLayoutIsTheSameDespiteDocsAndDefaultsButNotWithAnotherFieldOrder() {
    Schema reader = InferenceRequest.getClassSchema();
    Schema documented = new Schema.Parser().parse(reader.toString().replace(
        "Unique request id, the topic key.", "Another doc."));
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : reader.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    java.util.Collections.swap(fields, 0, 1);
    Schema reordered = Schema.createRecord(reader.getName(), null, reader.getNamespace(),
        false, fields);

    assertThat(CompiledReader.sameLayout(documented, reader)).isTrue();
    assertThat(CompiledReader.sameLayout(reordered, reader)).isFalse();
  }
}
