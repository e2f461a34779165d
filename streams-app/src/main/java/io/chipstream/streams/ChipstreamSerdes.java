package io.chipstream.streams;

import io.chipstream.schema.registry.SchemaRegistryClient;
import io.chipstream.schema.serde.AvroSerde;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.TopicNames;
import io.chipstream.streams.avro.FamilyWindowAggregate;
import io.chipstream.streams.avro.WindowFamilies;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * The topics and the serdes of the topology's internal state, all over one registry client.
 *
 * @param topics the product's topics
 * @param aggregate the per-family window aggregate (store, repartition)
 * @param windowFamilies every family of one window (store)
 */
public record ChipstreamSerdes(ChipstreamTopics topics, Serde<FamilyWindowAggregate> aggregate,
    Serde<WindowFamilies> windowFamilies) {

  public static ChipstreamSerdes create(TopicNames names, SchemaRegistryClient client,
      Map<String, ?> serdeConfig) {
    return new ChipstreamSerdes(ChipstreamTopics.create(names, client, serdeConfig),
        AvroSerde.specific(FamilyWindowAggregate.class, client).configured(serdeConfig, false),
        AvroSerde.specific(WindowFamilies.class, client).configured(serdeConfig, false));
  }
}
