package io.chipstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chipstream.avro.DeviceState;
import io.chipstream.avro.Feature;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.avro.ThermalState;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.TopicNames;
import io.chipstream.streams.EmitMode;
import io.chipstream.streams.LivePipeline;
import io.chipstream.streams.TopologyConfig;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app that starts behind a backlog: requests and telemetry are summed in separate
 * sub-topologies, and the telemetry's few records are through long before the requests. Its
 * sums, an hour ahead in event time, must not reach the window aggregation before the requests'
 * sums and close their windows: {@code max.task.idle.ms} makes the aggregation wait for them.
 */
@WithKafka
class CatchUpIT {
  private static final int REQUESTS = 20_000;
  private static final int REQUEST_MINUTES = 10;
  private static final int TELEMETRY_MINUTES = 60;

  @Test
  void aBacklogIsCaughtUpWithoutTelemetryMakingRequestsLate(TestKafka kafka,
      @TempDir Path state) throws Exception {
    // One partition per input: the skew between partitions of one input is the grace period's
    // to cover (see ARCHITECTURE.md), not what this test is about.
    try (LivePipeline pipeline = LivePipeline.start(kafka, "catchup", 1)) {
      TopicNames names = pipeline.names();
      ChipstreamTopics topics = pipeline.topics();
      Instant base = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MINUTES);
      backlog(kafka, topics, base);

      StreamsSettings settings = new StreamsSettings(kafka.bootstrapServers(),
          pipeline.registryUrl(), kafka.uniqueName("catchup-app"), state, "exactly_once_v2",
          1, 1, names,
          // A grace far shorter than the hour the telemetry runs ahead.
          TopologyConfig.defaults().withWindows(Duration.ofMinutes(1), Duration.ofMinutes(1),
              Duration.ofSeconds(30), EmitMode.EAGER),
          Map.of());
      try (ChipstreamStreams app = new ChipstreamStreams(settings).start()) {
        Instant requestsEnd = base.plus(Duration.ofMinutes(REQUEST_MINUTES));
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() ->
            PipelineIT.requestsInWindows(app, base, requestsEnd) == REQUESTS
                || ScaleAndLatenessIT.droppedRecords(app) > 0);

        assertThat(ScaleAndLatenessIT.droppedRecords(app)).as("sums dropped as late").isZero();
        assertThat(PipelineIT.requestsInWindows(app, base, requestsEnd)).isEqualTo(REQUESTS);
      }
    }
  }

  /** Ten minutes of requests, and an hour of telemetry from the same start. */
  private static void backlog(TestKafka kafka, ChipstreamTopics topics, Instant base)
      throws Exception {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    Serializer<InferenceRequest> requests = topics.requests().valueSerde().serializer();
    Serializer<TelemetrySample> telemetry = topics.telemetry().valueSerde().serializer();
    long spacingMs = Duration.ofMinutes(REQUEST_MINUTES).toMillis() / REQUESTS;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config,
        (topic, data) -> data, (topic, data) -> data)) {
      for (int i = 0; i < REQUESTS; i++) {
        Instant at = base.plusMillis(spacingMs * i);
        InferenceRequest request = InferenceRequest.newBuilder()
            .setRequestId("req-" + i).setDeviceId("dev-" + (i % 31))
            .setDeviceChip(i % 5 == 0 ? "a16-bionic" : "a17-pro").setTimestamp(at)
            .setFeature(Feature.WRITING_TOOLS).setPromptTokens(100 + (i * 37) % 4000)
            .setMaxOutputTokens(20 + i % 150)
            .setDeviceState(new DeviceState(60, true, ThermalState.NOMINAL)).build();
        send(producer, topics.requests().name(), request.getRequestId(),
            requests.serialize(topics.requests().name(), request), at);
      }
      for (int minute = 0; minute < TELEMETRY_MINUTES; minute++) {
        Instant at = base.plus(Duration.ofMinutes(minute)).plusSeconds(30);
        TelemetrySample sample = PipelineIT.sample("xeon-node", "xeon-8480", at);
        send(producer, topics.telemetry().name(), sample.getSourceId(),
            telemetry.serialize(topics.telemetry().name(), sample), at);
      }
      producer.flush();
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key,
      byte[] value, Instant at) {
    producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(),
        key.getBytes(StandardCharsets.UTF_8), value));
  }
}
