package io.chipstream.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipstream.avro.Feature;
import io.chipstream.avro.Objective;
import io.chipstream.avro.ThermalState;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingPolicyTest {

  @Test
  void theDefaultsAreDocumentedInTheBundledFile() {
    RoutingPolicy policy = RoutingPolicy.defaults();
    assertThat(policy.objective()).isEqualTo(Objective.ENERGY);
    assertThat(policy.lowBatteryPercent()).isEqualTo(20);
    assertThat(policy.thermalLimit()).isEqualTo(ThermalState.SERIOUS);
    assertThat(policy.serverModelFeatures()).containsExactly(Feature.SIRI);
    assertThat(policy.version()).isEqualTo("default-1");
  }

  @Test
  void aPolicyFileOverridesOnlyTheKeysItSets(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.properties");
    Files.writeString(file, "objective=cost\nfeatures.need.server.model=SIRI, IMAGE_GENERATION\n");

    RoutingPolicy policy = RoutingPolicy.load(file);

    assertThat(policy.objective()).isEqualTo(Objective.COST);
    assertThat(policy.serverModelFeatures())
        .containsExactlyInAnyOrder(Feature.SIRI, Feature.IMAGE_GENERATION);
    assertThat(policy.lowBatteryPercent()).isEqualTo(20);
  }

  @Test
  void badValuesAreRejectedNamingTheKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.properties");
    Files.writeString(file, "objective=speed\n");
    assertThatThrownBy(() -> RoutingPolicy.load(file))
        .hasMessageContaining("objective = 'speed'");
    Files.writeString(file, "device.low.battery.percent=140\n");
    assertThatThrownBy(() -> RoutingPolicy.load(file))
        .hasMessageContaining("device.low.battery.percent = 140 is outside 0..100");
    Files.writeString(file, "features.need.server.model=TELEPATHY\n");
    assertThatThrownBy(() -> RoutingPolicy.load(file)).hasMessageContaining("TELEPATHY");
  }
}
