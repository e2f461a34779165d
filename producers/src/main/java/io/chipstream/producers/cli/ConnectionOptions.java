package io.chipstream.producers.cli;

import io.chipstream.config.LayeredSettings;
import io.chipstream.schema.registry.RegistryClientConfig;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.TopicNames;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * Where to produce: any Kafka cluster and Confluent-compatible registry. Flags win over the
 * environment ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL}), which wins over
 * the {@code --config} file ({@link LayeredSettings}, as {@code chipstream streams} reads its
 * own); the file's other keys (SASL, SSL, {@code basic.auth.user.info}, ...) go to every client
 * as they are.
 */
public final class ConnectionOptions {
  /** Where the clients go when neither a flag, the environment nor the file says. */
  public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
  public static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://localhost:8081";

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
      description = "Kafka (env KAFKA_BOOTSTRAP_SERVERS; default " + DEFAULT_BOOTSTRAP_SERVERS
          + ")")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", paramLabel = "URL",
      description = "Schema registry (env SCHEMA_REGISTRY_URL; default "
          + DEFAULT_SCHEMA_REGISTRY_URL + ")")
  String schemaRegistryUrl;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Client properties for Kafka and the registry (SASL, SSL, basic auth)")
  Path config;

  @Option(names = "--topic-prefix", description = "Prefix of every topic name (default none)")
  String topicPrefix = "";

  private Map<String, String> env = System.getenv();

  /** For tests: the environment to read instead of the process's. */
  public ConnectionOptions withEnvironment(Map<String, String> environment) {
    this.env = environment;
    return this;
  }

  public String bootstrapServers() {
    return layers().get(bootstrapServers, "bootstrap.servers", "KAFKA_BOOTSTRAP_SERVERS",
        DEFAULT_BOOTSTRAP_SERVERS);
  }

  public String schemaRegistryUrl() {
    return layers().get(schemaRegistryUrl, "schema.registry.url", "SCHEMA_REGISTRY_URL",
        DEFAULT_SCHEMA_REGISTRY_URL);
  }

  /**
   * Kafka client settings: the file's (but Chipstream's own, {@code chipstream.*}), then the
   * resolved bootstrap servers.
   */
  public Map<String, Object> kafkaConfig() {
    Map<String, Object> config = new HashMap<>();
    fileProperties().forEach((k, v) -> config.put(k.toString(), v));
    config.keySet().removeIf(key -> key.startsWith("chipstream."));
    config.remove("schema.registry.url");
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return config;
  }

  /** Registry client and serde settings. */
  public Map<String, Object> serdeConfig() {
    Map<String, Object> config = new HashMap<>();
    fileProperties().forEach((k, v) -> config.put(k.toString(), v));
    config.put(RegistryClientConfig.URL, schemaRegistryUrl());
    return config;
  }

  public TopicNames topicNames() {
    return TopicNames.withPrefix(topicPrefix == null ? "" : topicPrefix);
  }

  public RestSchemaRegistryClient registryClient() {
    return new RestSchemaRegistryClient(RegistryClientConfig.from(serdeConfig()));
  }

  public ChipstreamTopics topics(RestSchemaRegistryClient client) {
    return ChipstreamTopics.create(topicNames(), client, serdeConfig());
  }

  /**
   * A setting given by a flag ({@code flagValue}, null if not given), else the environment's
   * {@code env}, else the {@code --config} file's {@code key}; null if none sets it.
   */
  public String setting(String flagValue, String key, String env) {
    return layers().get(flagValue, key, env, null);
  }

  private LayeredSettings layers() {
    return new LayeredSettings(fileProperties(), env::get);
  }

  private Properties fileProperties() {
    return LayeredSettings.load(config);
  }
}
