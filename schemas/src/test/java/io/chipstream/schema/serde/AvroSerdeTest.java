package io.chipstream.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.schema.Examples;
import io.chipstream.schema.registry.InMemorySchemaRegistryClient;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
  private static final Map<String, Object> CONFIG = Map.of("schema.registry.url", "http://unused");
  private static final Schema V1 = new Schema.Parser().parse("""
      {"type":"record","name":"Reading","namespace":"test","fields":[
        {"name":"sensor","type":"string"},
        {"name":"watts","type":"double"}]}""");
  private static final Schema V2 = new Schema.Parser().parse("""
      {"type":"record","name":"Reading","namespace":"test","fields":[
        {"name":"sensor","type":"string"},
        {"name":"watts","type":"double"},
        {"name":"site","type":"string","default":"unknown"}]}""");

  @Test
  void specificRecordsRoundTripAndTheHotPathMakesNoRegistryCall() {
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient(1);
    AvroSerde<ChipFamilyEfficiency> serde =
        AvroSerde.specific(ChipFamilyEfficiency.class, registry).configured(CONFIG, false);
    ChipFamilyEfficiency record = ChipFamilyEfficiency.newBuilder()
        .setChipFamily(ChipFamily.TRAINIUM)
        .setWindowStart(Instant.ofEpochMilli(0))
        .setWindowEnd(Instant.ofEpochMilli(60_000))
        .setRequests(3)
        .build();

    assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", record)))
        .isEqualTo(record);
    int callsAfterFirst = registry.calls.get();
    for (int i = 0; i < 100; i++) {
      serde.deserializer().deserialize("t", serde.serializer().serialize("t", record));
    }

    assertThat(registry.calls.get()).isEqualTo(callsAfterFirst);
  }

  @Test
  void aRecordThatFailsHalfWrittenLeavesNothingInTheNextOnesBytes() {
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient(1);
    AvroSerializer<RoutingDecision> serializer = new AvroSerializer<>(registry);
    serializer.configure(CONFIG, false);
    RoutingDecision broken = Examples.decision();
    broken.setChipModel(null); // a required field after several written ones
    RoutingDecision fine = Examples.decision();
    byte[] expected = serializer.serialize("t", fine);

    assertThatThrownBy(() -> serializer.serialize("t", broken))
        .isInstanceOf(SerializationException.class).hasMessageContaining("chipModel");
    byte[] after = serializer.serialize("t", fine);

    assertThat(after).isEqualTo(expected);
  }

  @Test
  void oldAndNewWritersBothDecodeForAReaderOfEitherVersion() {
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient(1);
    AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry);
    serializer.configure(CONFIG, false);
    byte[] old = serializer.serialize("r", new GenericRecordBuilder(V1)
        .set("sensor", "s1").set("watts", 12.5).build());
    byte[] newer = serializer.serialize("r", new GenericRecordBuilder(V2)
        .set("sensor", "s2").set("watts", 7.0).set("site", "dub").build());
    AvroDeserializer<GenericRecord> generic = new AvroDeserializer<>(null, registry);
    generic.configure(CONFIG, false);

    GenericRecord fromOld = generic.deserialize("r", old);
    GenericRecord fromNew = generic.deserialize("r", newer);

    assertThat(fromOld.get("watts")).isEqualTo(12.5);
    assertThat(fromOld.getSchema()).isEqualTo(V1);
    assertThat(fromNew.get("site").toString()).isEqualTo("dub");
    assertThat(WireFormat.schemaId(old)).isNotEqualTo(WireFormat.schemaId(newer));
    // Ids alternating: each record is read with its own writer's schema, not the last one's.
    assertThat(generic.deserialize("r", old).getSchema()).isEqualTo(V1);
    assertThat(generic.deserialize("r", newer).getSchema()).isEqualTo(V2);
  }

  @Test
  void withoutAutoRegisterAnUnregisteredSchemaIsRefusedClearly() {
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient(1);
    AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry);
    serializer.configure(Map.of("schema.registry.url", "http://unused",
        "auto.register.schemas", "false"), false);
    GenericData.Record record = new GenericRecordBuilder(V1)
        .set("sensor", "s1").set("watts", 1.0).build();

    assertThatThrownBy(() -> serializer.serialize("r", record))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("r-value")
        .hasMessageContaining("not found");
  }

  @Test
  void keysUseTheKeySubject() {
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient(1);
    AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry);
    serializer.configure(Map.of("schema.registry.url", "http://unused",
        "auto.register.schemas", false), true);
    registry.register("r-key", V1);

    byte[] bytes = serializer.serialize("r", new GenericRecordBuilder(V1)
        .set("sensor", "s1").set("watts", 1.0).build());

    assertThat(WireFormat.schemaId(bytes)).isEqualTo(1);
  }

  @Test
  void bytesNotInTheWireFormatAreRejectedWithTheReason() {
    AvroDeserializer<GenericRecord> deserializer =
        new AvroDeserializer<>(null, new InMemorySchemaRegistryClient(1));
    deserializer.configure(CONFIG, false);

    assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {1, 0, 0, 0, 1, 2}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte 1");
    assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 0}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("shorter");
    assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 0, 0, 0, 99, 2}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("schema id 99");
    assertThat(deserializer.deserialize("t", null)).isNull();
  }

  @Test
  void aRecordOfAnotherTypeIsRefusedByATypedDeserializer() {
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient(1);
    AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry);
    serializer.configure(CONFIG, false);
    byte[] reading = serializer.serialize("t", new GenericRecordBuilder(V1)
        .set("sensor", "s1").set("watts", 1.0).build());
    AvroDeserializer<ChipFamilyEfficiency> typed =
        new AvroDeserializer<>(ChipFamilyEfficiency.class, registry);
    typed.configure(CONFIG, false);

    assertThatThrownBy(() -> typed.deserialize("t", reading))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("test.Reading");
  }
}
