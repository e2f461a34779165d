package io.chipstream.streams.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.avro.Workload;
import io.chipstream.localkafka.PortAllocator;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.streams.LivePipeline;
import io.chipstream.streams.TopologyConfig;
import io.chipstream.streams.app.ChipstreamStreams;
import io.chipstream.streams.app.StreamsSettings;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The efficiency API answers for the hour it promises by default, while the app runs and after
 * an instance that lost its local state restores the window store from its changelog.
 */
@WithKafka
class WindowRetentionIT {
  private static final int MINUTES = 40;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theLastHoursWindowsAreQueryableLiveAndAfterARestore(TestKafka kafka, @TempDir Path first,
      @TempDir Path second) throws Exception {
    try (LivePipeline pipeline = LivePipeline.start(kafka, "retention", 1)) {
      Instant base = Instant.now().minus(Duration.ofMinutes(MINUTES + 5))
          .truncatedTo(ChronoUnit.MINUTES);
      produceOneSampleAMinute(kafka, pipeline.topics(), base);
      List<Long> expected = new ArrayList<>();
      for (int minute = 0; minute < MINUTES; minute++) {
        expected.add(base.plus(Duration.ofMinutes(minute)).toEpochMilli());
      }
      String id = kafka.uniqueName("retention-app");

      try (Running app = Running.start(kafka, pipeline, id, first)) {
        await().atMost(Duration.ofSeconds(90)).until(() ->
            windowStarts(app.web).size() >= MINUTES);
        assertThat(windowStarts(app.web)).as("live, the last hour").isEqualTo(expected);
      }

      // A new instance with empty local state: the store comes back from the changelog.
      try (Running app = Running.start(kafka, pipeline, id, second)) {
        await().atMost(Duration.ofSeconds(90)).until(() ->
            app.streams.state() == KafkaStreams.State.RUNNING
                && !windowStarts(app.web).isEmpty());
        assertThat(windowStarts(app.web)).as("restored, the last hour").isEqualTo(expected);
      }
    }
  }

  /** The windows {@code /api/efficiency} returns for x86 by default, by start (epoch ms). */
  private List<Long> windowStarts(AppServer web) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create(web.url() + "/api/efficiency?family=X86")).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    List<Long> starts = new ArrayList<>();
    if (response.statusCode() != 200) {
      return starts; // the stores are not ready yet (503)
    }
    for (JsonNode window : AvroJson.MAPPER.readTree(response.body())) {
      starts.add(Instant.parse(window.path("windowStart").asText()).toEpochMilli());
    }
    return starts;
  }

  /** One x86 sample in each minute from {@code base}, in order, on one partition. */
  private static void produceOneSampleAMinute(TestKafka kafka, ChipstreamTopics topics,
      Instant base) throws Exception {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, TelemetrySample> producer = new KafkaProducer<>(config,
        topics.telemetry().keySerde().serializer(),
        topics.telemetry().valueSerde().serializer())) {
      for (int minute = 0; minute < MINUTES; minute++) {
        Instant at = base.plus(Duration.ofMinutes(minute)).plusSeconds(20);
        TelemetrySample sample = TelemetrySample.newBuilder().setSourceId("xeon-node")
            .setChipModel("xeon-8480").setTimestamp(at).setIntervalMs(10_000)
            .setWorkload(Workload.INFERENCE).setAvgPowerWatts(300).setUtilization(0.6)
            .setTokensProcessed(3_000).setRequestsCompleted(10).build();
        producer.send(new ProducerRecord<>(topics.telemetry().name(), null, at.toEpochMilli(),
            sample.getSourceId(), sample)).get();
      }
    }
  }

  /** An app instance with its web port. */
  private record Running(ChipstreamStreams streams, AppServer web) implements AutoCloseable {
    static Running start(TestKafka kafka, LivePipeline pipeline, String id, Path state) {
      int port = PortAllocator.freePort("127.0.0.1");
      StreamsSettings settings = new StreamsSettings(kafka.bootstrapServers(),
          pipeline.registryUrl(), id, state, "exactly_once_v2", 1, 1, pipeline.names(),
          TopologyConfig.defaults(),
          Map.of("commit.interval.ms", "100", "application.server", "127.0.0.1:" + port));
      ChipstreamStreams streams = new ChipstreamStreams(settings).start();
      return new Running(streams, streams.startWeb("127.0.0.1", port));
    }

    @Override
    public void close() {
      web.close();
      streams.close();
    }
  }
}
