package io.chipstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The input tasks' partial sums are sent on at every commit, in the transaction that commits
 * their records' offsets: an app with a year between flushes commits 40 requests, and their
 * sums reach the window all the same; it is killed, and the next one counts every request once,
 * with nothing to restore. This holds only because Kafka Streams calls {@code
 * PartialSumsStore}'s {@code flushCache} before it commits the input offsets; called after, the
 * sums would miss the transaction and sit in memory until the kill.
 */
@Tag("reliability")
@WithKafka
class PartialSumsCrashIT {
  private static final int REQUESTS = 40;

  @Test
  void sumsSentAtACommitSurviveAKillOnce(TestKafka kafka, @TempDir Path work) throws Exception {
    String id = kafka.uniqueName("held");
    Path state = work.resolve("state");
    Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
    try (Pipeline pipeline = Pipeline.builder(kafka.bootstrapServers(), work).name("held")
        .build();
        KafkaProducer<byte[], byte[]> producer = pipeline.rawProducer()) {
      Serializer<InferenceRequest> values = pipeline.topics.requests().valueSerde().serializer();
      try (AppProcess holding = pipeline.app("held-app", id, state, Duration.ofSeconds(30),
          // Flushes fall on multiples of the interval since the epoch: a year apart, none here.
          "--partials-flush=365d").start()) {
        holding.awaitRunning(Duration.ofSeconds(120));
        for (int i = 0; i < REQUESTS; i++) {
          send(producer, pipeline, values, Records.request("held", i, base.plusSeconds(i)));
        }
        // Read committed: the transaction that committed these requests' offsets is done.
        pipeline.readDecisions(REQUESTS, Duration.ofSeconds(60));
        assertThat(holding.awaitWindowRequests(base, base.plusSeconds(60), REQUESTS))
            .as("sent on at the commit, a year before the flush").isEqualTo(REQUESTS);
        holding.kill();
      }

      try (AppProcess app = pipeline.app("after-kill-app", id, state, Duration.ofSeconds(30))
          .start()) {
        app.awaitRunning(Duration.ofSeconds(120));
        // The window store, restored, counts each request once: sums the killed app sent on
        // but whose window update it had not committed are read again, not added twice.
        Instant windowEnd = base.plusSeconds(60);
        assertThat(app.awaitWindowRequests(base, windowEnd, REQUESTS))
            .as("requests in the window, once each").isEqualTo(REQUESTS);
        send(producer, pipeline, values, Records.request("closer", 0, base.plusSeconds(100)));
        Map<String, ChipFamilyEfficiency> finals;
        try {
          finals = pipeline.readFinals(windowEnd, REQUESTS, Duration.ofSeconds(60));
        } catch (AssertionError e) {
          throw new AssertionError(e.getMessage() + "\ndropped records: "
              + Metrics.scrape(app).sum("kafka_stream_task_dropped_records_total")
              + "\nlog of after-kill-app:\n" + app.tail(), e);
        }
        assertThat(finals.values().stream().mapToLong(ChipFamilyEfficiency::getRequests).sum())
            .as("every request the killed app committed, once").isEqualTo(REQUESTS);
        assertThat(pipeline.readDeadLetters(0, Duration.ofSeconds(2))).isEmpty();
        assertThat(Metrics.scrape(app).sum("kafka_stream_task_dropped_records_total"))
            .as("no sum dropped as late").isZero();
      }
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, Pipeline pipeline,
      Serializer<InferenceRequest> values, InferenceRequest request) {
    Pipeline.sendRaw(producer, pipeline.names.requests(), request.getRequestId(),
        values.serialize(pipeline.names.requests(), request), request.getTimestamp());
  }
}
