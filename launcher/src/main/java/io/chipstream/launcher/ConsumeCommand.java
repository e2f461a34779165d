package io.chipstream.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chipstream.producers.cli.ConnectionOptions;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.registry.SchemaRegistryException;
import io.chipstream.schema.serde.AvroDeserializer;
import io.chipstream.schema.topics.TopicAdmin;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chipstream consume TOPIC}: records as JSON lines. */
@Command(name = "consume", mixinStandardHelpOptions = true,
    description = "Print a topic's records as JSON lines (key, value, timestamp, partition,"
        + " offset). Avro values are decoded through the registry; for the dead-letter topic,"
        + " the error headers and the original bytes in base64.")
public final class ConsumeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long a consumer that has read nothing waits before it says so. */
  static final Duration SAY_WAITING_AFTER = Duration.ofSeconds(5);

  @Parameters(paramLabel = "TOPIC", description = "e.g. routing-decisions, chip-efficiency,"
      + " chipstream-dlq")
  String topic;

  @Mixin
  ConnectionOptions connection;

  @Option(names = "--from-beginning", description = "Start at the oldest record (default: new"
      + " records only)")
  boolean fromBeginning;

  @Option(names = "--max-records", description = "Stop after this many records")
  Long maxRecords;

  @Option(names = "--timeout", paramLabel = "DURATION",
      description = "Stop when no record came for this long, e.g. 10s (default: never)")
  String timeout;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (maxRecords != null && maxRecords < 0) {
      throw new IllegalArgumentException("--max-records must be 0 or more, not " + maxRecords);
    }
    Duration idle = timeout == null ? null
        : io.chipstream.config.Durations.parse(timeout);
    boolean deadLetters = topic.equals(connection.topicNames().deadLetters());
    // A consumer of a missing topic, or of an address where no broker answers, waits in silence.
    TopicAdmin.requireTopic(connection.kafkaConfig(), topic);
    Map<String, Object> config = new HashMap<>(connection.kafkaConfig());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "chipstream-consume-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (RestSchemaRegistryClient client = connection.registryClient();
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config,
            new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      if (!deadLetters) {
        requireRegistry(client);
      }
      AvroDeserializer<GenericRecord> values = new AvroDeserializer<>(null, client);
      values.configure(connection.serdeConfig(), false);
      Thread hook = new Thread(consumer::wakeup, "consume-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      long count = 0;
      long lastRecord = System.nanoTime();
      boolean saidWaiting = false;
      try {
        consumer.subscribe(List.of(topic));
        while (maxRecords == null || count < maxRecords) {
          var records = consumer.poll(Duration.ofMillis(500));
          if (records.isEmpty()) {
            if (idle != null && System.nanoTime() - lastRecord > idle.toNanos()) {
              break;
            }
            // With nothing read yet, lastRecord is when it started.
            if (count == 0 && !saidWaiting
                && System.nanoTime() - lastRecord > SAY_WAITING_AFTER.toNanos()) {
              // Not on stdout, which carries only records.
              PrintWriter err = spec.commandLine().getErr();
              err.println("chipstream: no records on " + topic + " yet ("
                  + (fromBeginning ? "read from the oldest" : "new records only;"
                  + " --from-beginning reads the oldest") + "); waiting, Ctrl-C stops");
              err.flush();
              saidWaiting = true;
            }
            continue;
          }
          lastRecord = System.nanoTime();
          for (ConsumerRecord<byte[], byte[]> record : records) {
            out.println(line(record, deadLetters, values));
            count++;
            if (maxRecords != null && count >= maxRecords) {
              break;
            }
          }
          // A reader that went away (`| head -5`) is an end, not an error: without this the
          // consumer read on into a closed pipe and then waited for records forever.
          if (out.checkError()) {
            break;
          }
        }
      } catch (WakeupException stopping) {
        // Ctrl-C
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // already stopping
        }
      }
    }
    return 0;
  }

  /**
   * Fails unless the registry answers: else every record would wait out the client's retries
   * (about 1.5 s) to be printed as not decodable. Dead letters are printed as bytes, without it.
   */
  private void requireRegistry(RestSchemaRegistryClient client) {
    try {
      client.globalCompatibility();
    } catch (SchemaRegistryException e) {
      throw new IllegalStateException("the schema registry at " + connection.schemaRegistryUrl()
          + " cannot decode " + topic + "'s values (--schema-registry-url): " + e.getMessage(),
          e);
    }
  }

  static String line(ConsumerRecord<byte[], byte[]> record, boolean deadLetters,
      AvroDeserializer<GenericRecord> values) {
    ObjectNode node = JSON.createObjectNode();
    node.put("topic", record.topic());
    node.put("partition", record.partition());
    node.put("offset", record.offset());
    node.put("timestamp", record.timestamp());
    node.put("key", record.key() == null ? null
        : new String(record.key(), StandardCharsets.UTF_8));
    if (deadLetters) {
      ObjectNode headers = node.putObject("headers");
      for (Header header : record.headers()) {
        if (!header.key().equals("__streams.errors.stacktrace")) {
          headers.put(header.key(), header.value() == null ? null
              : new String(header.value(), StandardCharsets.UTF_8));
        }
      }
      node.put("valueBase64", record.value() == null ? null
          : Base64.getEncoder().encodeToString(record.value()));
      return node.toString();
    }
    try {
      GenericRecord value = values.deserialize(record.topic(), record.value());
      node.set("value", value == null ? null
          : JSON.readTree(GenericData.get().toString(value)));
    } catch (Exception e) {
      node.put("error", "not decodable: " + e.getMessage());
      node.put("valueBase64", record.value() == null ? null
          : Base64.getEncoder().encodeToString(record.value()));
    }
    return node.toString();
  }
}
