package io.chipstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chipstream.localkafka.LocalKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker stops and starts again on the same data while the producer writes and the app
 * processes: both carry on by themselves, and nothing is lost or duplicated. The test owns its
 * broker (the shared test broker must not stop under other tests).
 */
@Tag("reliability")
class BrokerRestartIT {
  private static final Logger log = LoggerFactory.getLogger(BrokerRestartIT.class);
  private static final int REQUESTS = 2_000;

  @Test
  void producerAndAppRecoverFromABrokerRestartWithNothingLostOrDuplicated(@TempDir Path work)
      throws Exception {
    try (LocalKafkaBroker broker = LocalKafkaBroker.builder().build().start();
        Pipeline pipeline = Pipeline.builder(broker.bootstrapServers(), work).name("restart")
            .build();
        AppProcess app = pipeline.app("restart-app", "restart-app", work.resolve("state"),
            Duration.ofMinutes(10)).start()) {
      app.awaitRunning(Duration.ofSeconds(120));
      Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);

      try (Feed feed = new Feed(List.of(pipeline), REQUESTS, base, Duration.ofMillis(100), 80)
          .start()) {
        feed.awaitSent(REQUESTS / 3);
        broker.stop();
        log.info("broker stopped after {} requests sent", feed.sent());
        // Down until the app has seen it go: its clients report the lost connection.
        await("the app notices the broker is gone").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200)).until(() -> app.log().contains("disconnected")
                || app.log().contains("could not be established"));
        broker.start();
        log.info("broker started again; {} requests sent", feed.sent());
        assertThat(feed.sent()).as("input still flowing after the restart").isLessThan(REQUESTS);
        feed.assertProcessedExactlyOnce(pipeline, "restart-app", app);
      }
      assertThat(app.isAlive()).as("the app was never restarted by hand").isTrue();
      assertThat(app.get("/health").statusCode()).isEqualTo(200);
    }
  }
}
