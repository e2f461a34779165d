package io.chipstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * The topology's description is checked in ({@code src/test/resources/topology.txt}), so renaming
 * a processor, store or internal topic is a reviewed change. To accept a change on purpose:
 * {@code mvn -pl streams-app test -Dtopology.snapshot.update=true}, then review the diff.
 */
class TopologyDescriptionTest {
  private static final Path SNAPSHOT = Path.of("src/test/resources/topology.txt");

  @Test
  void theTopologyMatchesItsCheckedInDescription() throws Exception {
    String described;
    try (DriverFixture fixture = new DriverFixture(DriverFixture.config())) {
      described = fixture.topology.describe().toString();
    }
    if (Boolean.getBoolean("topology.snapshot.update")) {
      Files.writeString(SNAPSHOT, described, StandardCharsets.UTF_8);
    }
    assertThat(described).isEqualTo(Files.readString(SNAPSHOT, StandardCharsets.UTF_8));
    assertThat(described).doesNotContainPattern("KSTREAM-[A-Z]+-\\d{10}")
        .doesNotContainPattern("KTABLE-[A-Z]+-\\d{10}");
  }

  /**
   * The end-to-end benchmark runs the request path alone to split the topology's cost: it must be
   * the full topology's catalog and request sub-topology, node for node, and nothing else that
   * runs per record.
   */
  @Test
  void theRequestPathAloneIsTheFullTopologysRequestSubTopology() throws Exception {
    try (DriverFixture fixture = new DriverFixture(DriverFixture.config())) {
      TopologyDescription full = fixture.topology.describe();
      TopologyDescription alone = ChipstreamTopology.requestPathOnly(DriverFixture.config(),
          fixture.serdes).describe();
      assertThat(alone.globalStores()).hasToString(full.globalStores().toString());
      assertThat(subtopology(alone, 1)).isEqualTo(subtopology(full, 1))
          .contains("validate-and-classify-requests", "decisions-sink");
      assertThat(alone.subtopologies()).hasSize(2);
      // The other: the sums' repartition topic, read and not processed further.
      assertThat(subtopology(alone, 2))
          .contains("request-sums-by-family-repartition-source")
          .doesNotContain("Processor");
      assertThat(alone.toString()).doesNotContain("fleet-telemetry")
          .doesNotContain(ChipstreamTopology.FAMILY_WINDOW_STORE);
    }
  }

  private static String subtopology(TopologyDescription description, int id) {
    return description.subtopologies().stream().filter(s -> s.id() == id).findFirst()
        .orElseThrow().toString();
  }
}
