package io.chipstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Out-of-order and late requests on three real partitions, one-minute windows with 30 s of
 * grace: out of order and late within the grace they are counted in their window; later than
 * that they are dropped from the window (still decided) and counted in the dropped-records metric.
 */
@Tag("reliability")
@WithKafka
class LatenessIT {
  private static final int ON_TIME = 12;

  @Test
  void withinGraceCountedBeyondGraceDroppedAndCounted(TestKafka kafka, @TempDir Path work)
      throws Exception {
    try (Pipeline pipeline = Pipeline.builder(kafka.bootstrapServers(), work).name("late")
        .build();
        AppProcess app = pipeline.app("late-app", kafka.uniqueName("late"),
            work.resolve("state"), Duration.ofSeconds(30)).start();
        KafkaProducer<byte[], byte[]> producer = pipeline.rawProducer()) {
      app.awaitRunning(Duration.ofSeconds(120));
      Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
      Serializer<InferenceRequest> values = pipeline.topics.requests().valueSerde().serializer();
      List<Integer> seconds = new ArrayList<>();
      for (int i = 0; i < ON_TIME; i++) {
        seconds.add(5 + 4 * i);
      }
      Collections.shuffle(seconds, new Random(7)); // out of order within the window

      for (int i = 0; i < ON_TIME; i++) {
        send(producer, pipeline, values, "on-time-" + i, base.plusSeconds(seconds.get(i)));
      }
      List<ConsumerRecord<String, RoutingDecision>> decided = pipeline.readDecisions(ON_TIME,
          Duration.ofSeconds(60));
      Set<Integer> partitions = decided.stream().map(ConsumerRecord::partition)
          .collect(Collectors.toSet());
      assertThat(partitions).as("the window's records came from several partitions")
          .hasSizeGreaterThan(1);

      // Each step waits until the window aggregation has it (the app's query of its window
      // store), so the records meet there in this order: decisions come at once, while the
      // aggregation gets each input task's partial sums on the next flush.
      send(producer, pipeline, values, "next-window", base.plusSeconds(75));
      app.awaitWindowRequests(base.plusSeconds(60), base.plusSeconds(120), 1);
      send(producer, pipeline, values, "late-within-grace", base.plusSeconds(40)); // 35 s late
      app.awaitWindowRequests(base, base.plusSeconds(60), ON_TIME + 1);
      send(producer, pipeline, values, "closes-window", base.plusSeconds(100)); // 60 s + 30 s
      Map<String, ChipFamilyEfficiency> finals = pipeline.readFinals(base.plusSeconds(60),
          ON_TIME + 1, Duration.ofSeconds(60));
      assertThat(finals.values().stream().mapToLong(ChipFamilyEfficiency::getRequests).sum())
          .as("the first window: on time, out of order, and late within the grace")
          .isEqualTo(ON_TIME + 1);
      send(producer, pipeline, values, "beyond-grace", base.plusSeconds(50));
      assertThat(pipeline.readDecisions(ON_TIME + 4, Duration.ofSeconds(60)))
          .extracting(ConsumerRecord::key).as("a late request is still decided")
          .contains("beyond-grace").doesNotHaveDuplicates();

      await("dropped record counted").atMost(Duration.ofSeconds(30))
          .until(() -> Metrics.scrape(app).sum("kafka_stream_task_dropped_records_total") >= 1);
      assertThat(pipeline.readFinals(base.plusSeconds(60), ON_TIME + 1, Duration.ofSeconds(10)))
          .as("no second final for the first window").isEqualTo(finals);
      assertThat(app.awaitWindowRequests(base, base.plusSeconds(60), ON_TIME + 1))
          .as("the window's store did not take the late request").isEqualTo(ON_TIME + 1);
      assertThat(Metrics.scrape(app).sum("kafka_stream_task_dropped_records_total"))
          .as("only the request beyond the grace dropped").isEqualTo(1.0);
      assertThat(pipeline.readDeadLetters(0, Duration.ofSeconds(5))).isEmpty();
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, Pipeline pipeline,
      Serializer<InferenceRequest> values, String id, Instant at) {
    InferenceRequest request = Records.request(id, 0, at);
    request.setRequestId(id);
    Pipeline.sendRaw(producer, pipeline.names.requests(), id,
        values.serialize(pipeline.names.requests(), request), at);
  }
}
