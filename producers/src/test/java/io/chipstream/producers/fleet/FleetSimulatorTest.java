package io.chipstream.producers.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.ComputeTier;
import io.chipstream.avro.ExecutionTarget;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.avro.Workload;
import io.chipstream.catalog.ChipCatalogCsv;
import io.chipstream.classify.Classifier;
import io.chipstream.classify.CloudChips;
import io.chipstream.classify.Decision;
import io.chipstream.classify.Estimator;
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
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FleetSimulatorTest {
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final List<ChipCapability> CATALOG = ChipCatalogCsv.builtIn(T0);
  private static final TokenSizes SIZES = TokenSizes.builtIn();
  private static final Map<String, ChipCapability> CATALOG_BY_MODEL = CATALOG.stream()
      .collect(Collectors.toMap(ChipCapability::getChipModel, Function.identity()));

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

  /** Inference tokens served per chip family in 50 s of the fleet under {@code policy}. */
  private static Map<ChipFamily, Long> inferenceTokensByFamily(RoutingPolicy policy) {
    FleetSimulator sim = new FleetSimulator(FleetConfig.defaults(11), CATALOG, SIZES, policy, T0);
    List<TelemetrySample> samples = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      Instant now = T0.plusMillis(50L * i);
      sim.nextRequest(now);
      samples.addAll(sim.telemetryDue(now));
    }
    samples.addAll(sim.telemetryAtEnd(T0.plus(Duration.ofMinutes(5))));
    return samples.stream().filter(s -> s.getWorkload() == Workload.INFERENCE)
        .collect(Collectors.groupingBy(s -> CATALOG_BY_MODEL.get(s.getChipModel())
            .getChipFamily(), () -> new java.util.EnumMap<>(ChipFamily.class),
            Collectors.summingLong(TelemetrySample::getTokensProcessed)));
  }

  @Test
  void theFleetServesWhereThePolicyRoutesItsBaselineToo() {
    Map<ChipFamily, Long> objectiveOnly = inferenceTokensByFamily(RoutingPolicy.defaults());
    assertThat(objectiveOnly).doesNotContainKeys(ChipFamily.X86, ChipFamily.GRAVITON);

    java.util.Properties baseline = RoutingPolicy.defaultProperties();
    baseline.setProperty("baseline.families", "X86,GRAVITON");
    baseline.setProperty("baseline.share", "0.2");
    Map<ChipFamily, Long> withBaseline = inferenceTokensByFamily(RoutingPolicy.from(baseline));
    assertThat(withBaseline.get(ChipFamily.X86)).isPositive();
    assertThat(withBaseline.get(ChipFamily.GRAVITON)).isPositive();
    assertThat(withBaseline.values().stream().mapToLong(Long::longValue).sum())
        .as("the same requests, served elsewhere")
        .isEqualTo(objectiveOnly.values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void measuredEnergyIsTheEstimateOnDevicesAndNeverBelowItOnServers() {
    // 20 requests a second for a minute: more than two nodes of a private-cloud chip can serve.
    FleetSimulator sim = simulator(5);
    Classifier classifier = new Classifier(RoutingPolicy.defaults());
    Estimator estimator = new Estimator(0);
    CloudChips cloudChips = CloudChips.of(CATALOG);
    Map<String, Double> estimated = new TreeMap<>();
    List<TelemetrySample> samples = new ArrayList<>();
    for (int i = 0; i < 1_200; i++) {
      Instant now = T0.plusMillis(50L * i);
      InferenceRequest request = sim.nextRequest(now);
      Decision decision = classifier.classify(request, CATALOG_BY_MODEL.get(
          request.getDeviceChip()), cloudChips);
      if (decision.chip() != null) {
        estimated.merge(decision.chip().getChipModel(), estimator.estimate(decision.chip(),
            request.getPromptTokens(), request.getMaxOutputTokens()).energyJoules(), Double::sum);
      }
      samples.addAll(sim.telemetryDue(now));
    }
    samples.addAll(sim.telemetryDue(T0.plus(Duration.ofMinutes(10))));
    Map<String, Double> measured = samples.stream()
        .filter(s -> s.getWorkload() == Workload.INFERENCE && s.getTokensProcessed() > 0)
        .collect(Collectors.groupingBy(TelemetrySample::getChipModel, TreeMap::new,
            Collectors.summingDouble(s -> s.getAvgPowerWatts() * s.getIntervalMs() / 1000.0)));

    assertThat(measured.keySet()).isEqualTo(estimated.keySet()).contains("m2-ultra");
    estimated.forEach((model, joules) -> {
      if (CATALOG_BY_MODEL.get(model).getTier() == ComputeTier.DEVICE) {
        assertThat(measured.get(model)).as(model).isCloseTo(joules, withinPercentage(0.001));
      } else {
        // Plus the idle draw: up to ~3x the estimate on a chip that is mostly idle.
        assertThat(measured.get(model)).as(model).isGreaterThanOrEqualTo(joules);
      }
    });
    // A busy pool runs near its target: 0.8 busy costs (0.3 + 0.7 x 0.8) / 0.8 = 1.075x the
    // estimate. Two nodes of one chip each would have measured ~1/25 of it.
    assertThat(measured.get("m2-ultra")).isBetween(estimated.get("m2-ultra"),
        estimated.get("m2-ultra") * 1.25);
  }

  @Test
  void aCloudChipsPoolGrowsWithItsLoadAndNoNodeRunsOverItsTarget() {
    FleetSimulator sim = simulator(5);
    List<TelemetrySample> samples = new ArrayList<>();
    for (int i = 0; i < 1_200; i++) {
      samples.addAll(sim.telemetryDue(T0.plusMillis(50L * i)));
      sim.nextRequest(T0.plusMillis(50L * i));
    }
    List<TelemetrySample> servers = samples.stream()
        .filter(s -> s.getWorkload() == Workload.INFERENCE
            && CATALOG_BY_MODEL.get(s.getChipModel()).getTier() != ComputeTier.DEVICE)
        .toList();

    assertThat(servers).allSatisfy(s -> {
      assertThat(s.getUtilization()).isLessThanOrEqualTo(
          FleetSimulator.SERVER_TARGET_UTILIZATION + 1e-9);
      assertThat(s.getChipCount()).isBetween(1, FleetSimulator.MAX_CHIPS_PER_NODE);
    });
    Map<String, Integer> m2UltraChips = servers.stream()
        .filter(s -> s.getChipModel().equals("m2-ultra"))
        .collect(Collectors.groupingBy(s -> s.getTimestamp().toString(),
            Collectors.summingInt(TelemetrySample::getChipCount)));
    assertThat(m2UltraChips).hasSize(5).allSatisfy((at, chips) ->
        assertThat(chips).as(at).isGreaterThan(2 * FleetSimulator.MAX_CHIPS_PER_NODE));
    // A chip model the router sends nothing to runs no nodes: its idle draw is no one's.
    assertThat(servers).extracting(TelemetrySample::getChipModel)
        .doesNotContain("graviton2", "graviton3", "graviton4", "xeon-8480", "epyc-9654");
    // A model with work runs at least its configured nodes.
    assertThat(servers).extracting(TelemetrySample::getSourceId)
        .contains("l4-node-1", "l4-node-2");
    assertThat(servers).allSatisfy(s -> assertThat(s.getTokensProcessed()).isPositive());
  }

  @Test
  void aDevicesWorkBeyondAnIntervalWaitsForTheNext() {
    FleetSimulator sim = new FleetSimulator(new FleetConfig(1, Mix.parse("m4=1", s -> s),
        Mix.parse("GENMOJI=1", FleetConfig::feature), 1, Duration.ofSeconds(10), false, 3),
        CATALOG, SIZES, RoutingPolicy.defaults(), T0);
    Classifier classifier = new Classifier(RoutingPolicy.defaults());
    long local = 0;
    for (int i = 0; i < 40; i++) {
      InferenceRequest request = sim.request(T0.plusMillis(i), 1_000, 200);
      if (classifier.classify(request, CATALOG_BY_MODEL.get("m4"), CloudChips.of(CATALOG))
          .target() == ExecutionTarget.LOCAL) {
        local++;
      }
    }
    List<TelemetrySample> device = new ArrayList<>();
    for (int interval = 1; interval <= 100; interval++) {
      sim.telemetryDue(T0.plusSeconds(10L * interval)).stream()
          .filter(s -> s.getSourceId().equals("device-00000")).forEach(device::add);
    }

    assertThat(device).hasSizeGreaterThan(1);
    assertThat(device.subList(0, device.size() - 1)).allSatisfy(s -> {
      assertThat(s.getUtilization()).isEqualTo(1.0);
      assertThat(s.getAvgPowerWatts()).isEqualTo(
          CATALOG_BY_MODEL.get("m4").getPowerWatts().getValue());
    });
    assertThat(device.get(device.size() - 1).getUtilization()).isBetween(0.0, 1.0);
    assertThat(local).isGreaterThan(10);
    assertThat(device.stream().mapToLong(TelemetrySample::getTokensProcessed).sum())
        .as("every token served once, late or not").isEqualTo(local * 1_200);
    assertThat(device.stream().mapToLong(TelemetrySample::getRequestsCompleted).sum())
        .isEqualTo(local);
  }

  @Test
  void theLastTelemetryOfARunCoversItsShortLastIntervalAsFarAsItsChipsGot() {
    FleetSimulator sim = simulator(9);
    Classifier classifier = new Classifier(RoutingPolicy.defaults());
    CloudChips cloudChips = CloudChips.of(CATALOG);
    long cloud = 0;
    Map<String, Integer> requestsPerCloudChip = new TreeMap<>();
    for (int i = 0; i < 100; i++) {
      InferenceRequest request = sim.nextRequest(T0.plusMillis(20L * i)); // 2 s in all
      assertThat(sim.telemetryDue(T0.plusMillis(20L * i))).isEmpty();
      Decision decision = classifier.classify(request,
          CATALOG_BY_MODEL.get(request.getDeviceChip()), cloudChips);
      if (decision.target() != ExecutionTarget.LOCAL && decision.chip() != null) {
        cloud += request.getPromptTokens() + request.getMaxOutputTokens();
        requestsPerCloudChip.merge(decision.chip().getChipModel(), 1, Integer::sum);
      }
    }
    Instant end = T0.plusSeconds(2);
    List<TelemetrySample> last = sim.telemetryAtEnd(end);

    assertThat(last).isNotEmpty().allSatisfy(s -> {
      assertThat(s.getIntervalMs()).isEqualTo(2_000);
      assertThat(s.getTimestamp()).isEqualTo(end);
      assertThat(s.getUtilization()).isBetween(0.0, 1.0);
    });
    assertThat(cloud).isPositive();
    long cloudServed = servedOnServers(last);
    // Requests of several seconds each cannot all be done in 2 s: a pool has no more chips
    // than requests, and what they did not do by the end is not in the telemetry.
    assertThat(cloudServed).isPositive().isLessThan(cloud);
    Map<String, Integer> chips = last.stream()
        .filter(s -> s.getWorkload() == Workload.INFERENCE && isServer(s))
        .collect(Collectors.groupingBy(TelemetrySample::getChipModel,
            Collectors.summingInt(TelemetrySample::getChipCount)));
    chips.forEach((model, n) -> assertThat(n).as(model)
        .isLessThanOrEqualTo(Math.max(2, requestsPerCloudChip.getOrDefault(model, 0))));
    assertThat(sim.telemetryAtEnd(end)).as("no time has passed since").isEmpty();
    // Had the run gone on, the rest would have been reported later, once.
    assertThat(cloudServed + servedOnServers(sim.telemetryDue(end.plus(Duration.ofMinutes(10)))))
        .isEqualTo(cloud);
  }

  private static boolean isServer(TelemetrySample sample) {
    return CATALOG_BY_MODEL.get(sample.getChipModel()).getTier() != ComputeTier.DEVICE;
  }

  private static long servedOnServers(List<TelemetrySample> samples) {
    return samples.stream().filter(s -> s.getWorkload() == Workload.INFERENCE && isServer(s))
        .mapToLong(TelemetrySample::getTokensProcessed).sum();
  }

  private static FleetSimulator withDevices(String mix) {
    return new FleetSimulator(new FleetConfig(5, Mix.parse(mix, s -> s),
        Mix.parse("SIRI=1", FleetConfig::feature), 1, Duration.ofSeconds(10), false, 1),
        CATALOG, SIZES, RoutingPolicy.defaults(), T0);
  }

  @Test
  void aDeviceChipOutsideTheCatalogIsRefused() {
    assertThatThrownBy(() -> withDevices("pixel-9=1"))
        .hasMessageContaining("'pixel-9' is not in the catalog");
  }

  @Test
  void aServerChipIsRefusedAsADevicesNamingTheDeviceChips() {
    // Accepted before: its "devices" reported phone-sized telemetry under GRAVITON.
    assertThatThrownBy(() -> withDevices("m4=1,graviton3=1"))
        .hasMessage("device chip 'graviton3' is a PUBLIC_CLOUD chip; the catalog's device chips:"
            + " a15-bionic, a16-bionic, a17-pro, a18-pro, m1, m2, m4");
    assertThatThrownBy(() -> withDevices("m2-ultra=1"))
        .hasMessageStartingWith("device chip 'm2-ultra' is a PRIVATE_CLOUD chip");
  }
}
