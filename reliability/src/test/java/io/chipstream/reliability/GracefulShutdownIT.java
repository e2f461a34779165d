package io.chipstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.streams.ChipstreamTopology;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM while input flows: the app commits and closes within its 30 s timeout, leaves its
 * consumer group, and keeps its state on disk; the restart reuses that state (the stores on
 * disk restore nothing), resumes from the committed offsets, and the results count every
 * request exactly once.
 */
@Tag("reliability")
@WithKafka
class GracefulShutdownIT {
  private static final Logger log = LoggerFactory.getLogger(GracefulShutdownIT.class);
  private static final int REQUESTS = 1_500;
  private static final Pattern RESTORED = Pattern.compile("restored (\\d+) records of (\\S+)");

  @Test
  void sigtermCommitsAndClosesAndTheRestartReusesTheState(TestKafka kafka, @TempDir Path work)
      throws Exception {
    String id = kafka.uniqueName("graceful");
    Path state = work.resolve("state");
    try (Pipeline pipeline = Pipeline.builder(kafka.bootstrapServers(), work).name("graceful")
        .build();
        AppProcess app = pipeline.app("graceful-app", id, state, Duration.ofMinutes(10))
            .start()) {
      app.awaitRunning(Duration.ofSeconds(120));
      Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
      try (Feed feed = new Feed(List.of(pipeline), REQUESTS, base, Duration.ofMillis(100), 100)
          .start()) {
        feed.awaitSent(REQUESTS / 2);
        Duration took = app.terminate(Duration.ofSeconds(45));
        log.info("SIGTERM after {} requests sent: exited in {} ms", feed.sent(),
            took.toMillis());
        assertThat(took).as("closed within the close timeout").isLessThan(Duration.ofSeconds(30));
        assertThat(app.log()).contains("stopped cleanly");
        assertThat(pipeline.groupMembers(id))
            .as("it left the group: its tasks move now, not after the session timeout")
            .isZero();
        assertThat(pipeline.committedInput(id)).as("its progress was committed").isPositive();
        try (Stream<Path> files = Files.walk(state)) {
          assertThat(files.filter(f -> f.getFileName().toString().equals("rocksdb")))
              .as("the stores are kept on disk").isNotEmpty();
        }

        int logLength = app.log().length();
        app.start().awaitRunning(Duration.ofSeconds(120));
        feed.assertProcessedExactlyOnce(pipeline, id, app);

        // The stores on disk are reused as they are; the in-memory ones (the catalog table, the
        // buffer of windows awaiting their final result, the partial sums of the input tasks)
        // are rebuilt from their changelogs.
        Map<String, Long> restored = new HashMap<>();
        Matcher lines = RESTORED.matcher(app.log().substring(logLength));
        while (lines.find()) {
          restored.merge(lines.group(2), Long.parseLong(lines.group(1)), Long::sum);
        }
        log.info("restored after the clean stop: {}", restored);
        assertThat(restored).as("restored after the clean stop")
            .containsEntry(ChipstreamTopology.FAMILY_WINDOW_STORE, 0L)
            .containsEntry(ChipstreamTopology.WINDOW_BASELINE_STORE, 0L);
        long partials = restored.getOrDefault(ChipstreamTopology.REQUEST_PARTIALS_STORE, 0L)
            + restored.getOrDefault(ChipstreamTopology.TELEMETRY_PARTIALS_STORE, 0L);
        assertThat(partials).as("partial sums: at most one per family, slot and commit")
            .isLessThan(REQUESTS / 2);
        assertThat(restored.values().stream().mapToLong(Long::longValue).sum() - partials)
            .as("far less than was processed").isLessThan(REQUESTS / 4);
      }
    }
  }
}
