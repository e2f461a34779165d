package io.chipstream.schema.topics;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.schema.registry.SchemaRegistryClient;
import io.chipstream.schema.serde.AvroSerde;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The typed registry of every Chipstream topic: built once from the names and the registry
 * settings, then passed to whatever reads or writes them.
 *
 * @param names the topic names
 * @param catalog chip-catalog
 * @param requests inference-requests
 * @param telemetry fleet-telemetry
 * @param decisions routing-decisions
 * @param efficiency chip-efficiency
 * @param deadLetters chipstream-dlq: the original key and value bytes
 */
public record ChipstreamTopics(
    TopicNames names,
    Topic<String, ChipCapability> catalog,
    Topic<String, InferenceRequest> requests,
    Topic<String, TelemetrySample> telemetry,
    Topic<String, RoutingDecision> decisions,
    Topic<String, ChipFamilyEfficiency> efficiency,
    Topic<byte[], byte[]> deadLetters) {

  /**
   * Topics whose Avro serdes share {@code client} and are configured with {@code serdeConfig}
   * ({@code schema.registry.url} and Confluent's serde options).
   */
  public static ChipstreamTopics create(TopicNames names, SchemaRegistryClient client,
      Map<String, ?> serdeConfig) {
    return new ChipstreamTopics(names,
        new Topic<>(names.catalog(), Serdes.String(),
            avro(ChipCapability.class, client, serdeConfig)),
        new Topic<>(names.requests(), Serdes.String(),
            avro(InferenceRequest.class, client, serdeConfig)),
        new Topic<>(names.telemetry(), Serdes.String(),
            avro(TelemetrySample.class, client, serdeConfig)),
        new Topic<>(names.decisions(), Serdes.String(),
            avro(RoutingDecision.class, client, serdeConfig)),
        new Topic<>(names.efficiency(), Serdes.String(),
            avro(ChipFamilyEfficiency.class, client, serdeConfig)),
        new Topic<>(names.deadLetters(), Serdes.ByteArray(), Serdes.ByteArray()));
  }

  private static <T extends SpecificRecord> Serde<T> avro(Class<T> type,
      SchemaRegistryClient client, Map<String, ?> serdeConfig) {
    return AvroSerde.specific(type, client).configured(serdeConfig, false);
  }
}
