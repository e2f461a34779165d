package io.chipstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.stream.Stream;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every top-level record survives Avro binary encoding unchanged, with no JVM flag set. */
class RoundTripTest {

  static Stream<SpecificRecord> samples() {
    return Stream.of(
        Examples.inferentia2(),
        Examples.request(),
        Examples.telemetry(),
        Examples.decision(),
        Examples.efficiency());
  }

  @ParameterizedTest
  @MethodSource("samples")
  void binaryRoundTripKeepsEveryField(SpecificRecord record) throws IOException {
    byte[] bytes = AvroTestRecords.encode(record);

    SpecificRecord decoded = decode(record, bytes);

    assertThat(decoded).isEqualTo(record).isNotSameAs(record);
    assertThat(decoded.getClass()).isEqualTo(record.getClass());
  }

  @ParameterizedTest
  @MethodSource("samples")
  void generatedSchemaIsSelfContained(SpecificRecord record) {
    String json = record.getSchema().toString();
    assertThat(new org.apache.avro.Schema.Parser().parse(json)).isEqualTo(record.getSchema());
  }

  private static SpecificRecord decode(SpecificRecord like, byte[] bytes) throws IOException {
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
    return new SpecificDatumReader<SpecificRecord>(like.getSchema()).read(null, decoder);
  }
}
