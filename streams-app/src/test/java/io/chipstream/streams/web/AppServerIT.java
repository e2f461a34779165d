package io.chipstream.streams.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.chipstream.avro.DeviceState;
import io.chipstream.avro.Feature;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.ThermalState;
import io.chipstream.localkafka.PortAllocator;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.TopicNames;
import io.chipstream.streams.EmitMode;
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
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web port of two instances: queries, forwarding to the owner, metrics, bad input. */
@WithKafka
class AppServerIT {
  private final HttpClient http = HttpClient.newHttpClient();

  private record Answer(int status, JsonNode json, String body) {}

  private Answer get(String url) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    JsonNode json = null;
    try {
      json = AvroJson.MAPPER.readTree(response.body());
    } catch (Exception notJson) {
      // /metrics is text
    }
    return new Answer(response.statusCode(), json, response.body());
  }

  @Test
  void eitherInstanceAnswersForAllPartitions(TestKafka kafka, @TempDir Path a, @TempDir Path b)
      throws Exception {
    try (LivePipeline pipeline = LivePipeline.start(kafka, "web", 3)) {
      TopicNames names = pipeline.names();
      ChipstreamTopics topics = pipeline.topics();
      String id = kafka.uniqueName("web-app");
      int portA = PortAllocator.freePort("127.0.0.1");
      int portB = PortAllocator.freePort("127.0.0.1");

      String registryUrl = pipeline.registryUrl();
      try (ChipstreamStreams first = new ChipstreamStreams(settings(kafka, registryUrl, id, a,
          names, portA)).start();
          ChipstreamStreams second = new ChipstreamStreams(settings(kafka, registryUrl, id, b,
              names, portB)).start();
          AppServer webA = first.startWeb("127.0.0.1", portA);
          AppServer webB = second.startWeb("127.0.0.1", portB)) {
        await().atMost(Duration.ofSeconds(60)).until(() ->
            first.state() == KafkaStreams.State.RUNNING
                && second.state() == KafkaStreams.State.RUNNING);

        Instant now = Instant.now();
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, InferenceRequest> producer = new KafkaProducer<>(config,
            topics.requests().keySerde().serializer(), topics.requests().valueSerde()
                .serializer())) {
          for (int i = 0; i < 40; i++) {
            InferenceRequest r = InferenceRequest.newBuilder().setRequestId("r" + i)
                .setDeviceId("d").setDeviceChip(i % 2 == 0 ? "a17-pro" : "a16-bionic")
                .setTimestamp(now).setFeature(Feature.SMART_REPLY).setPromptTokens(300)
                .setMaxOutputTokens(40).setDeviceState(new DeviceState(90, true,
                    ThermalState.NOMINAL)).build();
            producer.send(new ProducerRecord<>(names.requests(), null, now.toEpochMilli(),
                r.getRequestId(), r));
          }
        }

        for (AppServer web : new AppServer[] {webA, webB}) {
          await().atMost(Duration.ofSeconds(60)).until(() -> {
            Answer summary = get(web.url() + "/api/decisions/summary");
            return summary.status() == 200 && summary.json().path("requests").asLong() == 40;
          });
          Answer summary = get(web.url() + "/api/decisions/summary");
          assertThat(summary.json().path("local").asLong()).isEqualTo(20);
          assertThat(summary.json().path("localShare").asDouble()).isEqualTo(0.5);
          assertThat(summary.json().path("reasons").path("DEVICE_CANNOT_RUN_MODEL").asLong())
              .isEqualTo(20);

          Answer latest = get(web.url() + "/api/efficiency/latest");
          assertThat(latest.json().path("APPLE_A_SERIES").path("requests").asLong())
              .isEqualTo(20);
          Answer range = get(web.url() + "/api/efficiency?family=APPLE_A_SERIES&from="
              + now.minusSeconds(600) + "&to=" + now.plusSeconds(600));
          assertThat(range.json()).hasSize(1);
          assertThat(get(web.url() + "/api/catalog").json().path("inferentia2")
              .path("chipFamily").asText()).isEqualTo("INFERENTIA");
          assertThat(get(web.url() + "/health").json().path("status").asText()).isEqualTo("UP");
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> {
          String scrape = get(webA.url() + "/metrics").body()
              + get(webB.url() + "/metrics").body();
          return scrape.contains("kafka_stream_chipstream_target_local_total")
              && scrape.contains("kafka_stream_chipstream_reason_device_cannot_run_model_total")
              && scrape.contains("kafka_stream_chipstream_deserialization_failed_total");
        });
        Answer metrics = get(webA.url() + "/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("kafka_stream_task_dropped_records_total")
            .contains("jvm_memory");

        Answer badFamily = get(webA.url() + "/api/efficiency?family=QUANTUM");
        assertThat(badFamily.status()).isEqualTo(400);
        assertThat(badFamily.json().path("error").asText()).contains("QUANTUM");
        Answer badTime = get(webB.url() + "/api/decisions/summary?from=yesterday");
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.json().path("error").asText()).contains("ISO-8601");
        Answer badRange = get(webA.url() + "/api/efficiency?from=" + now + "&to="
            + now.minusSeconds(5));
        assertThat(badRange.status()).isEqualTo(400);
        assertThat(get(webA.url() + "/api/efficiency?colour=red").status()).isEqualTo(400);
        assertThat(get(webA.url() + "/nope").status()).isEqualTo(404);
      }
    }
  }

  private static StreamsSettings settings(TestKafka kafka, String registryUrl,
      String id, Path state, TopicNames names, int webPort) {
    return new StreamsSettings(kafka.bootstrapServers(), registryUrl, id, state,
        "exactly_once_v2", 1, 3, names, TopologyConfig.defaults().withWindows(
            Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofSeconds(30),
            EmitMode.EAGER),
        Map.of("commit.interval.ms", "100", "application.server", "127.0.0.1:" + webPort));
  }
}
