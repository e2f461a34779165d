package io.chipstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.avro.DeviceState;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.avro.ThermalState;
import io.chipstream.catalog.ChipCatalogCsv;
import io.chipstream.schema.serde.AvroSerializer;
import io.chipstream.streams.validate.DeadLetterProcessor;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison pills interleaved with valid records: every valid request is decided, in its partition's
 * order; every bad record is in the dead-letter topic, once, with its reason and its original
 * bytes; the app keeps running and counts them.
 */
@Tag("reliability")
@WithKafka
class PoisonPillIT {
  private static final int VALID = 300;

  /** A bad record: its key, its bytes, and the reason the dead-letter header must give. */
  private record Bad(String topic, String key, byte[] value, String reason) {}

  @Test
  void badRecordsAreDeadLetteredWithTheirBytesAndValidOnesAllDecidedInOrder(TestKafka kafka,
      @TempDir Path work) throws Exception {
    try (Pipeline pipeline = Pipeline.builder(kafka.bootstrapServers(), work).name("poison")
        .build();
        AppProcess app = pipeline.app("poison-app", kafka.uniqueName("poison"),
            work.resolve("state"), Duration.ofMinutes(10)).start()) {
      app.awaitRunning(Duration.ofSeconds(120));
      Instant base = Instant.now().minus(Duration.ofMinutes(30));
      List<Bad> bad = poison(pipeline, base);
      Serializer<InferenceRequest> requests = pipeline.topics.requests().valueSerde()
          .serializer();
      String topic = pipeline.names.requests();
      try (KafkaProducer<byte[], byte[]> producer = pipeline.rawProducer()) {
        int next = 0;
        for (int i = 0; i < VALID; i++) {
          InferenceRequest request = Records.request("ok", i, base.plusMillis(200L * i));
          Pipeline.sendRaw(producer, topic, request.getRequestId(),
              requests.serialize(topic, request), request.getTimestamp());
          if (i % 25 == 12 && next < bad.size()) {
            Bad pill = bad.get(next++);
            Pipeline.sendRaw(producer, pill.topic(), pill.key(), pill.value(), base);
          }
        }
        while (next < bad.size()) {
          Bad pill = bad.get(next++);
          Pipeline.sendRaw(producer, pill.topic(), pill.key(), pill.value(), base);
        }
      }

      List<ConsumerRecord<String, RoutingDecision>> decisions = pipeline.readDecisions(VALID,
          Duration.ofSeconds(120));
      assertThat(decisions).extracting(ConsumerRecord::key).doesNotHaveDuplicates()
          .hasSize(VALID).allMatch(key -> key.startsWith("ok-"));
      Map<Integer, List<Integer>> byPartition = new HashMap<>();
      for (ConsumerRecord<String, RoutingDecision> d : decisions) {
        byPartition.computeIfAbsent(d.partition(), p -> new ArrayList<>())
            .add(Integer.parseInt(d.key().substring(3)));
      }
      assertThat(byPartition.values()).as("decisions in their input partition's order")
          .allSatisfy(indexes -> assertThat(indexes).isSorted());

      List<ConsumerRecord<byte[], byte[]>> dead = pipeline.readDeadLetters(bad.size(),
          Duration.ofSeconds(60));
      assertThat(dead.stream().map(PoisonPillIT::describe).toList())
          .containsExactlyInAnyOrderElementsOf(bad.stream().map(PoisonPillIT::describe)
              .toList());
      assertThat(dead).allSatisfy(r ->
          assertThat(r.headers().lastHeader(DeadLetterProcessor.MESSAGE)).isNotNull());

      assertThat(app.get("/health").statusCode()).isEqualTo(200);
      Metrics metrics = Metrics.scrape(app);
      Map<String, Long> expectedCounts = bad.stream().collect(
          java.util.stream.Collectors.groupingBy(Bad::reason,
              java.util.stream.Collectors.counting()));
      expectedCounts.forEach((reason, count) -> assertThat(metrics.sum(
          "kafka_stream_chipstream_" + reason.toLowerCase(java.util.Locale.ROOT) + "_total",
          "chipstream_id=\"dead-letters\"")).as("dead letters counted as " + reason)
          .isEqualTo(count.doubleValue()));
    }
  }

  private static String describe(ConsumerRecord<byte[], byte[]> r) {
    String source = new String(r.headers().lastHeader(DeadLetterProcessor.TOPIC).value(),
        StandardCharsets.UTF_8);
    return source + " key=" + (r.key() == null ? null : new String(r.key(),
        StandardCharsets.UTF_8)) + " reason=" + new String(r.headers()
        .lastHeader(DeadLetterProcessor.REASON).value(), StandardCharsets.UTF_8)
        + " bytes=" + Arrays.toString(r.value());
  }

  private static String describe(Bad b) {
    return b.topic() + " key=" + b.key() + " reason=" + b.reason() + " bytes="
        + Arrays.toString(b.value());
  }

  /** One of each kind of bad record, in the form it is sent. */
  private static List<Bad> poison(Pipeline pipeline, Instant at) {
    String requests = pipeline.names.requests();
    String telemetry = pipeline.names.telemetry();
    Serializer<InferenceRequest> requestSerializer = pipeline.topics.requests().valueSerde()
        .serializer();
    Serializer<TelemetrySample> telemetrySerializer = pipeline.topics.telemetry().valueSerde()
        .serializer();
    List<Bad> bad = new ArrayList<>();

    bad.add(new Bad(requests, "garbage", "not avro at all".getBytes(StandardCharsets.UTF_8),
        "DESERIALIZATION_FAILED"));
    byte[] valid = requestSerializer.serialize(requests, Records.request("x", 1, at));
    byte[] unknownId = valid.clone();
    ByteBuffer.wrap(unknownId).putInt(1, 987_654);
    bad.add(new Bad(requests, "unknown-id", unknownId, "DESERIALIZATION_FAILED"));
    // A catalog row, registered under a subject of its own: a real id, but not a request.
    AvroSerializer<SpecificRecord> other = new AvroSerializer<>(pipeline.registryClient);
    other.configure(pipeline.serdeConfig, false);
    bad.add(new Bad(requests, "other-type", other.serialize(pipeline.prefix + "unrelated",
        ChipCatalogCsv.builtIn(at).get(0)), "DESERIALIZATION_FAILED"));
    bad.add(new Bad(requests, "truncated", Arrays.copyOf(valid, valid.length - 4),
        "DESERIALIZATION_FAILED"));

    InferenceRequest negative = Records.request("neg", 1, at);
    negative.setPromptTokens(-5);
    bad.add(new Bad(requests, "neg-1", requestSerializer.serialize(requests, negative),
        "INVALID_TOKENS"));
    InferenceRequest mismatch = Records.request("mis", 1, at);
    bad.add(new Bad(requests, "someone-else", requestSerializer.serialize(requests, mismatch),
        "KEY_MISMATCH"));
    bad.add(new Bad(requests, null, requestSerializer.serialize(requests,
        Records.request("nokey", 1, at)), "MISSING_KEY"));
    InferenceRequest battery = Records.request("bat", 1, at);
    battery.setDeviceState(new DeviceState(150, false, ThermalState.NOMINAL));
    bad.add(new Bad(requests, "bat-1", requestSerializer.serialize(requests, battery),
        "INVALID_DEVICE_STATE"));
    InferenceRequest future = Records.request("fut", 1, Instant.now().plus(Duration.ofDays(2)));
    bad.add(new Bad(requests, "fut-1", requestSerializer.serialize(requests, future),
        "FUTURE_TIMESTAMP"));

    TelemetrySample nan = Records.sample("nan-node", "xeon-8480", at, Double.NaN, 100);
    bad.add(new Bad(telemetry, "nan-node", telemetrySerializer.serialize(telemetry, nan),
        "INVALID_POWER"));
    TelemetrySample mystery = Records.sample("mystery-node", "tpu-v9", at, 100, 100);
    bad.add(new Bad(telemetry, "mystery-node", telemetrySerializer.serialize(telemetry,
        mystery), "UNKNOWN_CHIP"));
    bad.add(new Bad(telemetry, "junk-node", new byte[] {0, 0, 0}, "DESERIALIZATION_FAILED"));
    return bad;
  }
}
