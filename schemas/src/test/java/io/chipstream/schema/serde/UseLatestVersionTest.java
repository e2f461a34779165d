package io.chipstream.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipstream.avro.Figure;
import io.chipstream.avro.FigureBasis;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.schema.registry.InMemorySchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class UseLatestVersionTest {
  private static final Map<String, Object> CONFIG = Map.of("schema.registry.url", "http://x",
      "auto.register.schemas", "false", "use.latest.version", "true");

  @Test
  void writesWithTheSubjectsLatestIdAndRegistersNothing() {
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient(100);
    registry.register("other-value", RoutingDecision.getClassSchema());
    int id = registry.register("figures-value", Figure.getClassSchema());
    AvroSerializer<Figure> serializer = new AvroSerializer<>(registry);
    serializer.configure(CONFIG, false);

    byte[] bytes = serializer.serialize("figures", new Figure(2.0, FigureBasis.DERIVED, "F1"));

    assertThat(WireFormat.schemaId(bytes)).isEqualTo(id);
    assertThat(registry.subjects()).containsExactly("other-value", "figures-value");
  }

  @Test
  void aRecordWhoseSchemaIsNotTheLatestIsRefusedClearly() {
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient(1);
    registry.register("figures-value", RoutingDecision.getClassSchema());
    AvroSerializer<Figure> serializer = new AvroSerializer<>(registry);
    serializer.configure(CONFIG, false);

    assertThatThrownBy(() -> serializer.serialize("figures",
        new Figure(2.0, FigureBasis.DERIVED, "F1")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("use.latest.version")
        .hasMessageContaining("figures-value");
  }
}
