package io.chipstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGKILL under exactly-once, three times while input flows, each time restarted on the same
 * state folder: exactly one decision per request, and the same final window results as an app
 * that ran undisturbed on the same input.
 */
@Tag("reliability")
@WithKafka
class CrashRecoveryIT {
  private static final Logger log = LoggerFactory.getLogger(CrashRecoveryIT.class);
  private static final int REQUESTS = 3_000;
  private static final int KILLS = 3;

  @Test
  void killedThreeTimesItDecidesEachRequestOnceAndMatchesAnUndisturbedRun(TestKafka kafka,
      @TempDir Path work) throws Exception {
    try (Pipeline crashed = Pipeline.builder(kafka.bootstrapServers(), work).name("crash")
        .build();
        Pipeline calm = Pipeline.builder(kafka.bootstrapServers(), work).name("calm").build();
        AppProcess victim = crashed.app("victim", kafka.uniqueName("victim"),
            work.resolve("victim-state"), Duration.ofMinutes(10)).start();
        AppProcess reference = calm.app("reference", kafka.uniqueName("reference"),
            work.resolve("reference-state"), Duration.ofMinutes(10)).start()) {
      victim.awaitRunning(Duration.ofSeconds(120));
      reference.awaitRunning(Duration.ofSeconds(120));
      String victimId = applicationId(victim);
      List<String> requestIds;
      Instant end;
      Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);

      // 60 requests/s: 50 s of input, time for three kills and restarts while it flows.
      try (Feed feed = new Feed(List.of(crashed, calm), REQUESTS, base, Duration.ofMillis(60),
          60).start()) {
        for (int kill = 1; kill <= KILLS; kill++) {
          feed.awaitSent(REQUESTS * kill / (KILLS + 1));
          // Killed only once this incarnation has committed work, so it dies mid-stream with a
          // transaction open, not while it is still starting.
          long committed = crashed.committedInput(victimId);
          await("progress before kill " + kill).atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(200))
              .until(() -> crashed.committedInput(victimId) > committed);
          assertThat(feed.sent()).as("input still flowing at kill %d", kill)
              .isLessThan(REQUESTS);
          victim.kill();
          log.info("SIGKILL {} of {} after {} requests sent", kill, KILLS, feed.sent());
          victim.start().awaitRunning(Duration.ofSeconds(120));
        }
        feed.awaitDone(Duration.ofMinutes(3));
        crashed.awaitInputConsumed(victimId, Duration.ofMinutes(3));
        calm.awaitInputConsumed(applicationId(reference), Duration.ofMinutes(3));
        feed.awaitInWindows(victim);
        feed.awaitInWindows(reference);
        feed.closeWindows(Duration.ofMinutes(15));
        requestIds = feed.requestIds();
        end = feed.lastWindowEnd();
      }

      List<ConsumerRecord<String, RoutingDecision>> decisions = crashed.readDecisions(REQUESTS,
          Duration.ofMinutes(2));
      assertThat(decisions).extracting(ConsumerRecord::key)
          .as("exactly one decision per request")
          .containsExactlyInAnyOrderElementsOf(requestIds);

      Map<String, ChipFamilyEfficiency> expected = calm.readFinals(end, REQUESTS,
          Duration.ofMinutes(2));
      Map<String, ChipFamilyEfficiency> actual = crashed.readFinals(end, REQUESTS,
          Duration.ofMinutes(2));
      assertThat(expected.values().stream().mapToLong(ChipFamilyEfficiency::getRequests).sum())
          .isEqualTo(REQUESTS);
      assertThat(actual).as("final windows after %d crashes", KILLS).isEqualTo(expected);
      assertThat(victim.log()).contains("restored");
    }
  }

  private static String applicationId(AppProcess app) {
    return app.argument("--application-id");
  }
}
