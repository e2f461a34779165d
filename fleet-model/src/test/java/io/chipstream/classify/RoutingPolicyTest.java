package io.chipstream.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipstream.avro.ChipFamily;
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
    assertThat(policy.baselineFamilies()).as("a baseline spends energy: only when asked")
        .isEmpty();
    assertThat(policy.hasBaseline()).isFalse();
  }

  @Test
  void aBaselineNamesItsFamiliesInOrderAndAShareThatFitsThemAll(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("policy.properties");
    Files.writeString(file, "baseline.families=x86, GRAVITON\nbaseline.share=0.25\n");
    RoutingPolicy policy = RoutingPolicy.load(file);
    assertThat(policy.baselineFamilies()).containsExactly(ChipFamily.X86, ChipFamily.GRAVITON);
    assertThat(policy.baselineShare()).isEqualTo(0.25);
    assertThat(policy.hasBaseline()).isTrue();

    assertRejected(file, "baseline.families=X86,GRAVITON,INFERENTIA\nbaseline.share=0.4\n",
        "baseline.share = 0.4 times 3 baseline families is over 1");
    assertRejected(file, "baseline.families=X86,ARM\n",
        "baseline.families names unknown ChipFamily 'ARM'");
    assertRejected(file, "baseline.families=X86,x86\n",
        "baseline.families = 'X86,x86' names a family twice");
    assertRejected(file, "baseline.families=OTHER\n",
        "unknown ChipFamily 'OTHER'; one of [GRAVITON, INFERENTIA, TRAINIUM, NVIDIA_GPU, X86,"
        + " APPLE_A_SERIES, APPLE_M_SERIES]");
    Path missing = file.resolveSibling("missing.properties");
    assertThatThrownBy(() -> RoutingPolicy.load(missing))
        .hasMessage("routing policy file " + missing + " does not exist");
    assertRejected(file, "baseline.share=5%\n",
        "baseline.share = '5%' is not a number");
    assertRejected(file, "baseline.share=-0.1\n",
        "baseline.share = -0.1 is outside 0..1");
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
    assertRejected(file, "objective=speed\n",
        "objective = 'speed'");
    assertRejected(file, "device.low.battery.percent=140\n",
        "device.low.battery.percent = 140 is outside 0..100");
    assertRejected(file, "features.need.server.model=TELEPATHY\n",
        "TELEPATHY");
  }

  /** A policy file of {@code content} is refused, with a message that contains {@code reason}. */
  private static void assertRejected(Path file, String content, String reason) throws Exception {
    Files.writeString(file, content);
    assertThatThrownBy(() -> RoutingPolicy.load(file)).hasMessageContaining(reason);
  }
}
