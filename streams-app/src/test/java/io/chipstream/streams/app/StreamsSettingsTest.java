package io.chipstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipstream.schema.topics.TopicNames;
import io.chipstream.streams.TopologyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {

  @Test
  void theAggregationWaitsForTheOtherInputAtLeastFiveSecondsAndLongerForSlowCommits() {
    assertThat(idle("exactly_once_v2", Map.of(), TopologyConfig.defaults())).isEqualTo(5_000);
    assertThat(idle("at_least_once", Map.of(), TopologyConfig.defaults())).isEqualTo(5_000);
    // Exactly once, sums become visible at the commit: ten times flush + linger + commit.
    assertThat(idle("exactly_once_v2", Map.of("commit.interval.ms", "2000"),
        TopologyConfig.defaults())).isEqualTo(10 * (100 + 100 + 2_000));
    assertThat(idle("at_least_once", Map.of(),
        TopologyConfig.defaults().withPartialsFlush(Duration.ofSeconds(1))))
        .isEqualTo(10 * (1_000 + 100));
  }

  @Test
  void sumsAreSentAtEachCommitSoALongFlushIntervalWaitsOnlyForTheCommits() {
    TopologyConfig yearly = TopologyConfig.defaults().withPartialsFlush(Duration.ofDays(365));
    assertThat(idle("exactly_once_v2", Map.of(), yearly)).isEqualTo(5_000);
    assertThat(idle("at_least_once", Map.of(), yearly)).as("the default 30 s commits")
        .isEqualTo(10 * (30_000 + 100));
  }

  @Test
  void aCommitIntervalThatIsNotANumberIsAClearError() {
    assertThatThrownBy(() -> idle("exactly_once_v2", Map.of("commit.interval.ms", "fast"),
        TopologyConfig.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("commit.interval.ms must be a number of milliseconds, not 'fast'");
  }

  @Test
  void aGivenMaxTaskIdleWins() {
    assertThat(idle("exactly_once_v2", Map.of("max.task.idle.ms", "750"),
        TopologyConfig.defaults())).isEqualTo(750);
  }

  @Test
  void producersBatchUpTo128KibUnlessTheUserSaysOtherwise() {
    assertThat(settings(Map.of()).streamsProperties()
        .get(StreamsConfig.producerPrefix("batch.size"))).isEqualTo(131_072);
    assertThat(settings(Map.of("producer.batch.size", "16384")).streamsProperties()
        .get(StreamsConfig.producerPrefix("batch.size"))).isEqualTo("16384");
  }

  private static StreamsSettings settings(Map<String, String> client) {
    return new StreamsSettings("localhost:9092", "http://localhost:8081", "app",
        Path.of("/tmp/state"), "exactly_once_v2", 1, 3, TopicNames.DEFAULT,
        TopologyConfig.defaults(), client);
  }

  private static long idle(String guarantee, Map<String, String> client,
      TopologyConfig topology) {
    StreamsSettings settings = new StreamsSettings("localhost:9092", "http://localhost:8081",
        "app", Path.of("/tmp/state"), guarantee, 1, 3, TopicNames.DEFAULT, topology, client);
    return Long.parseLong(settings.streamsProperties()
        .get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG).toString());
  }
}
