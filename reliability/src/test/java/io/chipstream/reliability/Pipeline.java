package io.chipstream.reliability;

import static org.awaitility.Awaitility.await;

import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.catalog.ChipCatalogCsv;
import io.chipstream.producers.catalog.CatalogLoader;
import io.chipstream.producers.cli.EventSink;
import io.chipstream.registry.SchemaRegistryServer;
import io.chipstream.schema.registry.RegistryClientConfig;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.serde.AvroSerializer;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.TopicAdmin;
import io.chipstream.schema.topics.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One test's Chipstream: its own topics (a unique prefix, three partitions), an embedded schema
 * registry on the test broker, the built-in chip catalog loaded, and the means to run the app in
 * child JVMs, feed it and read what it wrote.
 */
final class Pipeline implements AutoCloseable {
  static final int PARTITIONS = 3;

  final String bootstrapServers;
  final Map<String, Object> clientConfig;
  private final SchemaRegistryServer.Builder registryBuilder;
  private SchemaRegistryServer registry;
  final Map<String, Object> serdeConfig;
  final RestSchemaRegistryClient registryClient;
  final TopicNames names;
  final ChipstreamTopics topics;
  final String prefix;
  private final Path workDir;
  private final Map<String, String> appClientProperties;

  private Pipeline(Builder b) {
    this.bootstrapServers = b.bootstrapServers;
    Map<String, Object> client = new HashMap<>(b.security);
    client.put("bootstrap.servers", b.bootstrapServers);
    this.clientConfig = Map.copyOf(client);
    String id = UUID.randomUUID().toString().substring(0, 8);
    this.prefix = b.name + "-" + id + ".";
    this.registryBuilder = SchemaRegistryServer.builder(b.bootstrapServers)
        .topic("_schemas-" + b.name + "-" + id).kafkaConfig(b.security);
    if (b.registryUser != null) {
      registryBuilder.basicAuth(b.registryUser);
    }
    this.registry = registryBuilder.build().start();
    registryBuilder.port(registry.port()); // a restart serves at the same address
    Map<String, Object> serde = new HashMap<>();
    serde.put("schema.registry.url", registry.url());
    if (b.registryUser != null) {
      serde.put("basic.auth.credentials.source", "USER_INFO");
      serde.put("basic.auth.user.info", b.registryUser);
    }
    this.serdeConfig = Map.copyOf(serde);
    this.registryClient = new RestSchemaRegistryClient(RegistryClientConfig.from(serdeConfig));
    this.names = TopicNames.withPrefix(prefix);
    this.topics = ChipstreamTopics.create(names, registryClient, serdeConfig);
    this.workDir = b.workDir;
    Map<String, String> appClient = new HashMap<>();
    b.security.forEach((k, v) -> appClient.put(k, v.toString()));
    serdeConfig.forEach((k, v) -> {
      if (!k.equals("schema.registry.url")) {
        appClient.put(k, v.toString());
      }
    });
    this.appClientProperties = Map.copyOf(appClient);
    TopicAdmin.ensure(clientConfig, names, PARTITIONS);
    new CatalogLoader(clientConfig, topics.catalog()).load(ChipCatalogCsv.builtIn(Instant.now()));
  }

  static Builder builder(String bootstrapServers, Path workDir) {
    return new Builder(bootstrapServers, workDir);
  }

  /**
   * A {@code chipstream streams} process for this pipeline: 1-minute windows, final results,
   * {@code grace} for late records, exactly-once, quick commits and a short session timeout (a
   * killed member is noticed in seconds), plus {@code extra} arguments.
   */
  AppProcess app(String name, String applicationId, Path stateDir, Duration grace,
      String... extra) {
    return app(Map.of(), name, applicationId, stateDir, grace, extra);
  }

  /** As {@link #app(String, String, Path, Duration, String...)}, with more client settings. */
  AppProcess app(Map<String, String> settings, String name, String applicationId,
      Path stateDir, Duration grace, String... extra) {
    Properties config = new Properties();
    config.putAll(appClientProperties);
    config.putAll(settings);
    config.put("commit.interval.ms", "200");
    config.put("session.timeout.ms", "6000");
    config.put("heartbeat.interval.ms", "1500");
    Path file = workDir.resolve(name + ".properties");
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      config.store(writer, "client settings of " + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> args = new ArrayList<>(List.of(
        "--bootstrap-servers=" + bootstrapServers,
        "--schema-registry-url=" + registry.url(),
        "--config=" + file,
        "--application-id=" + applicationId,
        "--state-dir=" + stateDir,
        "--topic-prefix=" + prefix,
        "--partitions=" + PARTITIONS,
        "--processing-guarantee=exactly_once_v2",
        "--window=1m",
        "--grace=" + grace.toSeconds() + "s",
        "--emit=final"));
    args.addAll(List.of(extra));
    return AppProcess.create(name, args);
  }

  String registryUrl() {
    return registry.url();
  }

  /** Stops the embedded registry; its schemas stay in its topic. */
  void stopRegistry() {
    registry.close();
  }

  /** Starts the registry again, at the same address, on the same topic. */
  void startRegistry() {
    registry = registryBuilder.build().start();
  }

  /** The project's own producer (idempotent, acks=all) with the registry serializer. */
  EventSink sink() {
    AvroSerializer<SpecificRecord> values = new AvroSerializer<>(registryClient);
    values.configure(serdeConfig, false);
    return new EventSink(clientConfig, values);
  }

  /** A producer of raw bytes, for records no serializer would write. */
  KafkaProducer<byte[], byte[]> rawProducer() {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(config, (t, d) -> d, (t, d) -> d);
  }

  static void sendRaw(KafkaProducer<byte[], byte[]> producer, String topic, String key,
      byte[] value, Instant at) {
    try {
      producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(),
          key == null ? null : key.getBytes(StandardCharsets.UTF_8), value)).get();
    } catch (Exception e) {
      throw new IllegalStateException("send to " + topic + " failed", e);
    }
  }

  /**
   * Reads committed records of {@code topic} until {@code done} holds for what was read, then
   * two more seconds, so that a duplicate or an extra record would show.
   */
  <V> List<ConsumerRecord<String, V>> read(String topic, Deserializer<V> values,
      Duration timeout, Predicate<List<ConsumerRecord<String, V>>> done) {
    return drain(topic, new StringDeserializer(), values, timeout, done);
  }

  private <K, V> List<ConsumerRecord<K, V>> drain(String topic, Deserializer<K> keys,
      Deserializer<V> values, Duration timeout, Predicate<List<ConsumerRecord<K, V>>> done) {
    List<ConsumerRecord<K, V>> records = new ArrayList<>();
    try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(readerConfig(), keys, values)) {
      consumer.subscribe(List.of(topic));
      try {
        await().atMost(timeout).pollInterval(Duration.ZERO).until(() -> {
          consumer.poll(Duration.ofMillis(200)).forEach(records::add);
          return done.test(records);
        });
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("read " + records.size() + " records of " + topic
            + " before the timeout" + describe(records), e);
      }
      long quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < quietUntil) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** The first records read, key and value, for a failure message. */
  private static String describe(List<? extends ConsumerRecord<?, ?>> records) {
    return records.stream().limit(20)
        .map(r -> "\n  " + r.key() + " @" + r.timestamp() + ": " + abbreviate(r.value()))
        .collect(Collectors.joining("", records.isEmpty() ? "" : ":", ""));
  }

  private static String abbreviate(Object value) {
    String text = value instanceof byte[] bytes ? bytes.length + " bytes" : String.valueOf(value);
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  List<ConsumerRecord<String, RoutingDecision>> readDecisions(int expected, Duration timeout) {
    return read(names.decisions(), topics.decisions().valueSerde().deserializer(), timeout,
        records -> records.size() >= expected);
  }

  /**
   * The final result of each window that starts before {@code before}, once their requests add
   * up to {@code requests}; fails on a second final for a window.
   */
  Map<String, ChipFamilyEfficiency> readFinals(Instant before, long requests,
      Duration timeout) {
    List<ConsumerRecord<String, ChipFamilyEfficiency>> records = read(names.efficiency(),
        topics.efficiency().valueSerde().deserializer(), timeout,
        read -> finals(read, before).values().stream()
            .mapToLong(ChipFamilyEfficiency::getRequests).sum() >= requests);
    List<String> keys = records.stream()
        .filter(r -> r.value().getWindowStart().isBefore(before))
        .map(ConsumerRecord::key).toList();
    if (keys.size() != keys.stream().distinct().count()) {
      throw new AssertionError("more than one final for a window: " + keys);
    }
    return finals(records, before);
  }

  private static Map<String, ChipFamilyEfficiency> finals(
      List<ConsumerRecord<String, ChipFamilyEfficiency>> records, Instant before) {
    return records.stream().filter(r -> r.value().getWindowStart().isBefore(before))
        .collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value, (a, b) -> b));
  }

  List<ConsumerRecord<byte[], byte[]>> readDeadLetters(int expected, Duration timeout) {
    return drain(names.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer(),
        timeout, records -> records.size() >= expected);
  }

  /**
   * Waits until the app's consumer group has committed every record of the input topics: all
   * input is processed and its output committed.
   */
  void awaitInputConsumed(String applicationId, Duration timeout) {
    await("input of " + applicationId + " consumed").atMost(timeout)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> TopicAdmin.lag(clientConfig, applicationId,
            List.of(names.requests(), names.telemetry())) == 0);
  }

  /** How many partitions each member of the consumer group {@code applicationId} holds now. */
  List<Integer> assignedPartitions(String applicationId) throws Exception {
    try (Admin admin = Admin.create(clientConfig)) {
      return admin.describeConsumerGroups(List.of(applicationId)).all().get()
          .get(applicationId).members().stream()
          .map(member -> member.assignment().topicPartitions().size()).toList();
    }
  }

  /** How many members the consumer group {@code applicationId} has now. */
  int groupMembers(String applicationId) throws Exception {
    return assignedPartitions(applicationId).size();
  }

  /** Input offsets {@code applicationId} has committed, summed over partitions and topics. */
  long committedInput(String applicationId) {
    try (Admin admin = Admin.create(clientConfig)) {
      return admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get()
          .entrySet().stream()
          .filter(e -> e.getKey().topic().equals(names.requests())
              || e.getKey().topic().equals(names.telemetry()))
          .mapToLong(e -> e.getValue().offset()).sum();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the offsets of " + applicationId, e);
    }
  }

  private Map<String, Object> readerConfig() {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return config;
  }

  @Override
  public void close() {
    registryClient.close();
    registry.close();
  }

  static final class Builder {
    private final String bootstrapServers;
    private final Path workDir;
    private Map<String, Object> security = Map.of();
    private String registryUser;
    private String name = "rel";

    private Builder(String bootstrapServers, Path workDir) {
      this.bootstrapServers = bootstrapServers;
      this.workDir = workDir;
    }

    /** Client settings a secured broker requires (SASL). */
    Builder security(Map<String, Object> security) {
      this.security = Map.copyOf(security);
      return this;
    }

    /** The registry requires HTTP basic auth as {@code user:password}. */
    Builder registryUser(String userInfo) {
      this.registryUser = userInfo;
      return this;
    }

    Builder name(String name) {
      this.name = name;
      return this;
    }

    Pipeline build() {
      return new Pipeline(this);
    }
  }
}
