package io.chipstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
