package io.chipstream.producers.cli;

import io.chipstream.avro.ChipCapability;
import io.chipstream.catalog.ChipCatalogCsv;
import io.chipstream.producers.catalog.CatalogLoader;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.TopicAdmin;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code produce catalog}: loads the chip catalog into the compacted {@code chip-catalog}. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
    description = "Load the chip catalog (the built-in one, or --file) into chip-catalog."
        + " Only changed rows are written, in one transaction.")
public final class CatalogCommand implements Callable<Integer> {
  @Mixin
  ConnectionOptions connection;

  @Option(names = "--file", paramLabel = "CSV",
      description = "A catalog in the format of the built-in one (default: built in)")
  Path file;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    List<ChipCapability> rows = file == null ? ChipCatalogCsv.builtIn(Instant.now())
        : ChipCatalogCsv.read(file, Instant.now());
    try (RestSchemaRegistryClient client = connection.registryClient()) {
      ChipstreamTopics topics = connection.topics(client);
      TopicAdmin.ensure(connection.kafkaConfig(), connection.topicNames(), 3);
      CatalogLoader.Report report = new CatalogLoader(connection.kafkaConfig(), topics.catalog())
          .load(rows);
      spec.commandLine().getOut().printf("catalog: %d chips; %d written, %d unchanged (%s)%n",
          rows.size(), report.written(), report.unchanged(), topics.catalog().name());
    }
    return 0;
  }
}
