package io.chipstream.benchmarks;

import io.chipstream.localkafka.LocalKafkaBroker;
import io.chipstream.registry.SchemaRegistryServer;

/** A real broker and the embedded registry on it, for benchmarks that need a registry. */
final class LocalRegistry implements AutoCloseable {
  private final LocalKafkaBroker broker;
  private final SchemaRegistryServer registry;

  LocalRegistry() {
    broker = LocalKafkaBroker.builder().build().start();
    registry = SchemaRegistryServer.builder(broker.bootstrapServers()).build().start();
  }

  String url() {
    return registry.url();
  }

  @Override
  public void close() {
    registry.close();
    broker.close();
  }
}
