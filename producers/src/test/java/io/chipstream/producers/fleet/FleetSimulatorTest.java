package io.chipstream.producers.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.avro.Workload;
import io.chipstream.catalog.ChipCatalogCsv;
import io.chipstream.classify.RoutingPolicy;
import io.chipstream.producers.trace.TokenSizes;
import io.chipstream.producers.trace.TraceCsv;
import io.chipstream.producers.trace.TraceRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FleetSimulatorTest {
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final List<ChipCapability> CATALOG = ChipCatalogCsv.builtIn(T0);
  private static final TokenSizes SIZES = TokenSizes.builtIn();

  private static FleetSimulator simulator(long seed) {
    return new FleetSimulator(FleetConfig.defaults(seed), CATALOG, SIZES,
        RoutingPolicy.defaults(), T0);
  }

  private static List<InferenceRequest> requests(FleetSimulator sim, int n) {
    List<InferenceRequest> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(sim.nextRequest(T0.plusMillis(100L * i)));
    }
    return out;
  }

  @Test
  void theSameSeedGivesTheSameFleetAndRequests() {
    assertThat(requests(simulator(7), 500)).isEqualTo(requests(simulator(7), 500));
    assertThat(requests(simulator(7), 50)).isNotEqualTo(requests(simulator(8), 50));
  }

  @Test
  void sizesComeFromTheTraceAndChipsAndFeaturesFromTheMix() {
    Set<String> tracePairs = new HashSet<>();
    for (TraceRow row : TraceCsv.builtIn().rows()) {
      tracePairs.add(row.contextTokens() + "/" + Math.max(1, row.generatedTokens()));
    }
    List<InferenceRequest> requests = requests(simulator(1), 2_000);

    assertThat(requests).allSatisfy(r -> assertThat(tracePairs)
        .contains(r.getPromptTokens() + "/" + r.getMaxOutputTokens()));
    Map<String, Long> chips = requests.stream()
        .collect(Collectors.groupingBy(InferenceRequest::getDeviceChip, Collectors.counting()));
    assertThat(chips.keySet()).containsExactlyInAnyOrder("a17-pro", "a18-pro", "m4", "m2", "m1",
        "a16-bionic", "a15-bionic");
    assertThat(chips.get("a17-pro")).isGreaterThan(chips.get("a15-bionic"));
    assertThat(requests).extracting(InferenceRequest::getRequestId).doesNotHaveDuplicates();
  }

  @Test
  void aDeviceStateChangesOverTime() {
    FleetSimulator sim = new FleetSimulator(new FleetConfig(1, Mix.parse("a17-pro=1", s -> s),
        Mix.parse("SMART_REPLY=1", FleetConfig::feature), 1, Duration.ofSeconds(10), false, 3),
        CATALOG, SIZES, RoutingPolicy.defaults(), T0);
    Set<Integer> batteries = new HashSet<>();
    for (int hour = 0; hour < 12; hour++) {
      batteries.add(sim.nextRequest(T0.plus(Duration.ofHours(hour))).getDeviceState()
          .getBatteryPercent());
    }
    assertThat(batteries.size()).isGreaterThan(3);
  }

  @Test
  void telemetryAccountsForEveryTokenServedAndPowerStaysWithinTheCatalog() {
    FleetSimulator sim = simulator(11);
    List<InferenceRequest> requests = new ArrayList<>();
    List<TelemetrySample> samples = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      Instant now = T0.plusMillis(50L * i); // 50 s in all
      requests.add(sim.nextRequest(now));
      samples.addAll(sim.telemetryDue(now));
    }
    samples.addAll(sim.telemetryDue(T0.plus(Duration.ofMinutes(5))));
    Map<String, ChipCapability> catalog = CATALOG.stream()
        .collect(Collectors.toMap(ChipCapability::getChipModel, Function.identity()));

    long served = samples.stream().filter(s -> s.getWorkload() == Workload.INFERENCE)
        .mapToLong(TelemetrySample::getTokensProcessed).sum();
    long sent = requests.stream().mapToLong(r -> r.getPromptTokens() + r.getMaxOutputTokens())
        .sum();
    assertThat(served).as("every token is served by exactly one source").isEqualTo(sent);
    assertThat(samples).allSatisfy(s -> {
      double max = catalog.get(s.getChipModel()).getPowerWatts().getValue() * s.getChipCount();
      assertThat(s.getAvgPowerWatts()).isBetween(0.0, max + 1e-9);
      assertThat(s.getUtilization()).isBetween(0.0, 1.0);
    });
    assertThat(samples).filteredOn(s -> s.getWorkload() == Workload.TRAINING)
        .extracting(TelemetrySample::getChipModel)
        .contains("trainium1", "h100-sxm", "xeon-8480");
  }

  @Test
  void aDeviceChipOutsideTheCatalogIsRefused() {
    assertThatThrownBy(() -> new FleetSimulator(new FleetConfig(5,
        Mix.parse("pixel-9=1", s -> s), Mix.parse("SIRI=1", FleetConfig::feature), 1,
        Duration.ofSeconds(10), false, 1), CATALOG, SIZES, RoutingPolicy.defaults(), T0))
        .hasMessageContaining("'pixel-9' is not in the catalog");
  }
}
