package io.chipstream.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.avro.Figure;
import io.chipstream.schema.registry.InMemorySchemaRegistryClient;
import io.chipstream.avro.FigureBasis;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pins the exact bytes of one known record with a known id: the Confluent wire format. */
class WireFormatGoldenTest {
  private static final Map<String, Object> CONFIG = Map.of("schema.registry.url", "http://unused");

  @Test
  void figureWithSchemaId42HasTheseExactBytes() {
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient(42);
    AvroSerializer<Figure> serializer = new AvroSerializer<>(registry);
    serializer.configure(CONFIG, false);

    byte[] bytes = serializer.serialize("figures", new Figure(1.5, FigureBasis.PUBLISHED, "x"));

    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(
        "00" + "0000002a"            // magic byte, schema id 42 big-endian
            + "02" + "000000000000f83f" // value: union branch 1 (double), 1.5 little-endian
            + "00"                   // basis: enum symbol 0 (PUBLISHED)
            + "02" + "02" + "78");   // source: union branch 1 (string), length 1, "x"
  }

  @Test
  void theGoldenBytesDecodeBackToTheRecord() {
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient(42);
    registry.register("figures-value", Figure.getClassSchema());
    AvroDeserializer<Figure> deserializer = new AvroDeserializer<>(Figure.class, registry);
    deserializer.configure(CONFIG, false);

    Figure figure = deserializer.deserialize("figures",
        HexFormat.of().parseHex("000000002a02000000000000f83f00020278"));

    assertThat(figure).isEqualTo(new Figure(1.5, FigureBasis.PUBLISHED, "x"));
  }
}
