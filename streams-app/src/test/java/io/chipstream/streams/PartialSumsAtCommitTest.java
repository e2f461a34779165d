package io.chipstream.streams;

import static io.chipstream.streams.DriverFixture.T0;
import static io.chipstream.streams.DriverFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.streams.avro.FamilyWindowAggregate;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The partial sums are sent on at every commit, however long the flush interval (the driver
 * commits after each record), and nothing is written to their changelog: no sum is held
 * across a commit, so a crash after one has nothing to lose and nothing to restore.
 */
class PartialSumsAtCommitTest {

  @Test
  void eachCommitSendsTheSumsOnAndLeavesTheChangelogEmpty() {
    TopologyConfig config = DriverFixture.config().withPartialsFlush(Duration.ofDays(365));
    try (DriverFixture fixture = new DriverFixture(config)) {
      TestOutputTopic<String, FamilyWindowAggregate> changelog = fixture.driver.createOutputTopic(
          "chipstream-test-" + ChipstreamTopology.REQUEST_PARTIALS_STORE + "-changelog",
          new StringDeserializer(), fixture.serdes.aggregate().deserializer());
      TestOutputTopic<String, FamilyWindowAggregate> sums = fixture.driver.createOutputTopic(
          "chipstream-test-request-sums-by-family-repartition", new StringDeserializer(),
          fixture.serdes.aggregate().deserializer());

      fixture.pipe(request("a", T0.plusSeconds(1)).build());
      fixture.pipe(request("b", T0.plusSeconds(2)).build());

      List<TestRecord<String, FamilyWindowAggregate>> sent = sums.readRecordsToList();
      assertThat(sent).extracting(TestRecord::key).as("one sum per commit")
          .containsExactly("APPLE_A_SERIES", "APPLE_A_SERIES");
      assertThat(sent).extracting(r -> r.value().getRequests()).containsExactly(1L, 1L);
      assertThat(sent.get(1).timestamp()).as("the latest event time of the sum")
          .isEqualTo(T0.plusSeconds(2).toEpochMilli());
      assertThat(changelog.readRecordsToList()).as("nothing held, nothing written").isEmpty();
    }
  }
}
