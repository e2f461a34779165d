package io.chipstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipstream.schema.Examples;
import io.chipstream.schema.registry.InMemorySchemaRegistryClient;
import io.chipstream.schema.serde.AvroDeserializer;
import io.chipstream.schema.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class ConsumeCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final AvroDeserializer<GenericRecord> values = new AvroDeserializer<>(null, registry);

  ConsumeCommandTest() {
    values.configure(Map.of("schema.registry.url", "http://in-memory"), false);
  }

  private static ConsumerRecord<byte[], byte[]> record(String topic, byte[] value,
      RecordHeaders headers) {
    return new ConsumerRecord<>(topic, 2, 17, 1_700_000_000_000L, TimestampType.CREATE_TIME, 3,
        value == null ? 0 : value.length, "k-1".getBytes(StandardCharsets.UTF_8), value, headers,
        Optional.empty());
  }

  @Test
  void anAvroRecordIsOneJsonLineWithItsDecodedValue() throws Exception {
    AvroSerializer<Object> serializer = new AvroSerializer<>(registry);
    serializer.configure(Map.of("schema.registry.url", "http://in-memory"), false);
    byte[] bytes = serializer.serialize("routing-decisions", Examples.decision());

    JsonNode line = JSON.readTree(ConsumeCommand.line(record("routing-decisions", bytes,
        new RecordHeaders()), false, values));

    assertThat(line.path("key").asText()).isEqualTo("k-1");
    assertThat(line.path("partition").asInt()).isEqualTo(2);
    assertThat(line.path("offset").asLong()).isEqualTo(17);
    assertThat(line.path("timestamp").asLong()).isEqualTo(1_700_000_000_000L);
    assertThat(line.path("value").path("requestId").asText()).isEqualTo("req-1");
    assertThat(line.path("value").path("target").asText()).isEqualTo("CLOUD");
  }

  @Test
  void aDeadLetterShowsItsHeadersAndOriginalBytes() throws Exception {
    RecordHeaders headers = new RecordHeaders();
    headers.add("chipstream.error.reason", "INVALID_TOKENS".getBytes(StandardCharsets.UTF_8));
    headers.add("__streams.errors.stacktrace", "long".getBytes(StandardCharsets.UTF_8));
    byte[] original = {1, 2, 3, (byte) 0xff};

    JsonNode line = JSON.readTree(ConsumeCommand.line(record("chipstream-dlq", original,
        headers), true, values));

    assertThat(line.path("headers").path("chipstream.error.reason").asText())
        .isEqualTo("INVALID_TOKENS");
    assertThat(line.path("headers").has("__streams.errors.stacktrace")).isFalse();
    assertThat(Base64.getDecoder().decode(line.path("valueBase64").asText())).isEqualTo(original);
  }

  @Test
  void anUndecodableValueIsShownNotDropped() throws Exception {
    JsonNode line = JSON.readTree(ConsumeCommand.line(record("routing-decisions",
        "junk".getBytes(StandardCharsets.UTF_8), new RecordHeaders()), false, values));
    assertThat(line.path("error").asText()).contains("not decodable");
    assertThat(line.path("valueBase64").asText()).isEqualTo("anVuaw==");
  }
}
