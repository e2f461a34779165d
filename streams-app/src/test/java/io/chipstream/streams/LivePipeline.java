package io.chipstream.streams;

import io.chipstream.catalog.ChipCatalogCsv;
import io.chipstream.producers.catalog.CatalogLoader;
import io.chipstream.registry.SchemaRegistryServer;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.TopicAdmin;
import io.chipstream.schema.topics.TopicNames;
import io.chipstream.testkit.TestKafka;
import java.time.Instant;
import java.util.Map;

/**
 * What an integration test of the app starts from: a schema registry on the test broker, the
 * topics under a prefix of their own, and the built-in chip catalog loaded.
 */
public final class LivePipeline implements AutoCloseable {
  private final SchemaRegistryServer registry;
  private final RestSchemaRegistryClient client;
  private final TopicNames names;
  private final ChipstreamTopics topics;

  private LivePipeline(SchemaRegistryServer registry, RestSchemaRegistryClient client,
      TopicNames names, ChipstreamTopics topics) {
    this.registry = registry;
    this.client = client;
    this.names = names;
    this.topics = topics;
  }

  /** Topics named {@code <unique prefix>.<topic>}, each with {@code partitions}. */
  public static LivePipeline start(TestKafka kafka, String prefix, int partitions)
      throws Exception {
    SchemaRegistryServer registry = SchemaRegistryServer.builder(kafka.bootstrapServers())
        .topic(kafka.uniqueName("_schemas")).build().start();
    RestSchemaRegistryClient client = RestSchemaRegistryClient.forUrl(registry.url());
    try {
      TopicNames names = TopicNames.withPrefix(kafka.uniqueName(prefix) + ".");
      ChipstreamTopics topics = ChipstreamTopics.create(names, client,
          Map.of("schema.registry.url", registry.url()));
      TopicAdmin.ensure(kafka.clientConfig(), names, partitions);
      new CatalogLoader(kafka.clientConfig(), topics.catalog())
          .load(ChipCatalogCsv.builtIn(Instant.now()));
      return new LivePipeline(registry, client, names, topics);
    } catch (Exception | Error e) {
      client.close();
      registry.close();
      throw e;
    }
  }

  public String registryUrl() {
    return registry.url();
  }

  public TopicNames names() {
    return names;
  }

  public ChipstreamTopics topics() {
    return topics;
  }

  @Override
  public void close() {
    client.close();
    registry.close();
  }
}
