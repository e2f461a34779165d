package io.chipstream.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ComputeTier;
import io.chipstream.avro.DeviceState;
import io.chipstream.avro.Feature;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.PrivacyClass;
import io.chipstream.avro.ThermalState;
import io.chipstream.catalog.ChipCatalogCsv;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chips a request may leave its device for, made once per catalog. */
class CloudChipsTest {
  private static final List<ChipCapability> CATALOG = ChipCatalogCsv.builtIn(Instant.EPOCH);

  @Test
  void keepsTheCloudChipsWithEveryFigureInCatalogOrder() {
    List<ChipCapability> expected = CATALOG.stream()
        .filter(c -> c.getTier() != ComputeTier.DEVICE && Estimator.estimable(c)).toList();

    List<ChipCapability> chips = CloudChips.of(CATALOG).chips();

    assertThat(chips).containsExactlyElementsOf(expected).isNotEmpty();
    assertThat(chips).noneMatch(c -> c.getTier() == ComputeTier.DEVICE);
    // The built-in catalog has cloud chips without published figures: they are left out.
    assertThat(chips).extracting(ChipCapability::getChipModel)
        .doesNotContain("a10g", "trainium2");
  }

  @Test
  void decidesAsTheWholeCatalogDoes() {
    Classifier classifier = new Classifier(RoutingPolicy.defaults());
    CloudChips cloud = CloudChips.of(CATALOG);
    int compared = 0;
    for (ChipCapability device : CATALOG) {
      if (device.getTier() != ComputeTier.DEVICE) {
        continue;
      }
      for (Feature feature : Feature.values()) {
        for (PrivacyClass privacy : PrivacyClass.values()) {
          for (boolean consent : new boolean[] {false, true}) {
            InferenceRequest request = InferenceRequest.newBuilder()
                .setRequestId("r").setDeviceId("d").setDeviceChip(device.getChipModel())
                .setTimestamp(Instant.EPOCH).setFeature(feature)
                .setPromptTokens(3_000).setMaxOutputTokens(500)
                .setPrivacyClass(privacy).setThirdPartyConsent(consent)
                .setDeviceState(new DeviceState(80, false, ThermalState.NOMINAL)).build();
            assertThat(classifier.classify(request, device, cloud))
                .isEqualTo(classifier.classify(request, device, CATALOG));
            compared++;
          }
        }
      }
    }
    assertThat(compared).isGreaterThan(50);
  }
}
