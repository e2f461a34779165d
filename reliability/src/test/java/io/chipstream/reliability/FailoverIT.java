package io.chipstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chipstream.streams.web.AppServer;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two instances share the partitions, each with a standby of the other's state; the one holding
 * the window store is killed while input flows; the survivor takes over, its REST queries keep
 * answering throughout, and nothing is lost.
 */
@Tag("reliability")
@WithKafka
class FailoverIT {
  private static final Logger log = LoggerFactory.getLogger(FailoverIT.class);
  private static final int REQUESTS = 2_000;
  private static final String QUERY = "/api/efficiency?from=%s&to=%s";

  @Test
  void theSurvivorTakesOverAndKeepsAnsweringQueries(TestKafka kafka, @TempDir Path work)
      throws Exception {
    String id = kafka.uniqueName("failover");
    Map<String, String> standby = Map.of("num.standby.replicas", "1");
    try (Pipeline pipeline = Pipeline.builder(kafka.bootstrapServers(), work).name("failover")
        .build();
        AppProcess first = pipeline.app(standby, "first", id, work.resolve("first"),
            Duration.ofMinutes(10)).start();
        AppProcess second = pipeline.app(standby, "second", id, work.resolve("second"),
            Duration.ofMinutes(10)).start()) {
      first.awaitRunning(Duration.ofSeconds(120));
      second.awaitRunning(Duration.ofSeconds(120));
      Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
      String query = String.format(QUERY, base, base.plus(Duration.ofMinutes(10)));

      try (Feed feed = new Feed(List.of(pipeline), REQUESTS, base, Duration.ofMillis(100), 80)
          .start()) {
        feed.awaitSent(REQUESTS / 3);
        assertThat(pipeline.assignedPartitions(id)).as("partitions per instance")
            .hasSize(2).allMatch(count -> count > 0);
        HttpResponse<String> before = first.get(query);
        assertThat(before.statusCode()).isEqualTo(200);
        String owner = before.headers().firstValue(AppServer.SERVED_BY).orElseThrow();
        boolean firstOwns = owner.startsWith(first.webUrl().substring("http://".length()));
        AppProcess victim = firstOwns ? first : second;
        AppProcess survivor = firstOwns ? second : first;
        log.info("the window store is on {}: killing it after {} requests", owner, feed.sent());
        victim.kill();

        // Ask the survivor every 250 ms until it answers as the active instance.
        List<String> answers = new ArrayList<>();
        await("the survivor takes over").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(250)).until(() -> {
              HttpResponse<String> r = survivor.get(query);
              answers.add(r.statusCode() + " " + r.headers().firstValue(AppServer.SERVED_BY)
                  .orElse(r.body()));
              return answers.get(answers.size() - 1).endsWith(" active");
            });
        log.info("answers during failover: {}", answers);
        assertThat(answers).as("every query answered during the failover")
            .allMatch(a -> a.startsWith("200 "));
        assertThat(answers.get(answers.size() - 1)).as("the survivor is active at the end")
            .endsWith(" active");

        feed.assertProcessedExactlyOnce(pipeline, id, survivor);
        assertThat(survivor.get("/health").statusCode()).isEqualTo(200);
      }
    }
  }
}
