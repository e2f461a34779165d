package io.chipstream.streams;

import static io.chipstream.streams.DriverFixture.T0;
import static io.chipstream.streams.DriverFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.streams.avro.FamilyWindowAggregate;
import java.util.List;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The partial sums held between flushes are in their changelog at every commit (the driver
 * commits after each record), so a crash after a commit cannot lose a record whose offset it
 * committed; once sent on, they are deleted from it.
 */
class PartialSumsChangelogTest {

  @Test
  void heldSumsAreInTheChangelogAtEachCommitAndDeletedOnceSent() {
    try (DriverFixture fixture = new DriverFixture(DriverFixture.config())) {
      TestOutputTopic<String, FamilyWindowAggregate> changelog = fixture.driver.createOutputTopic(
          "chipstream-test-" + ChipstreamTopology.REQUEST_PARTIALS_STORE + "-changelog",
          new StringDeserializer(), fixture.serdes.aggregate().deserializer());

      fixture.hold(request("a", T0.plusSeconds(1)).build());
      fixture.hold(request("b", T0.plusSeconds(2)).build());
      List<TestRecord<String, FamilyWindowAggregate>> held = changelog.readRecordsToList();
      String key = "APPLE_A_SERIES@" + T0.toEpochMilli();
      assertThat(held).extracting(TestRecord::key).containsExactly(key, key);
      assertThat(held.get(1).value().getRequests()).as("the sum after the second commit")
          .isEqualTo(2);
      assertThat(held.get(1).timestamp()).as("the latest event time of the sum")
          .isEqualTo(T0.plusSeconds(2).toEpochMilli());

      fixture.flushPartials();
      fixture.hold(request("c", T0.plusSeconds(3)).build()); // a commit after the flush
      List<TestRecord<String, FamilyWindowAggregate>> after = changelog.readRecordsToList();
      assertThat(after).extracting(TestRecord::key).containsExactly(key, key);
      assertThat(after.get(0).value()).as("sent on, then deleted").isNull();
      assertThat(after.get(1).value().getRequests()).as("the next record starts a new sum")
          .isEqualTo(1);
    }
  }
}
