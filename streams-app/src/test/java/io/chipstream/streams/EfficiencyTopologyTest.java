package io.chipstream.streams;

import static io.chipstream.streams.DriverFixture.T0;
import static io.chipstream.streams.DriverFixture.request;
import static io.chipstream.streams.DriverFixture.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.avro.EfficiencyBasis;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

/** Rolling efficiency per chip family: windows, emit modes, lateness and order. */
class EfficiencyTopologyTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private static TopologyConfig tumbling(EmitMode mode, Duration grace) {
    return DriverFixture.config().withWindows(MINUTE, MINUTE, grace, mode);
  }

  /** 60 requests over three minutes, a third too big for the device, with x86 and Graviton telemetry. */
  private static List<InferenceRequest> requests() {
    List<InferenceRequest> requests = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      requests.add(request("r" + i, T0.plusSeconds(3L * i))
          .setPromptTokens(i % 3 == 0 ? 6_000 + i : 200 + i).setMaxOutputTokens(50).build());
    }
    return requests;
  }

  /** Sends the requests with x86 and Graviton telemetry at 20 s into each minute, in between. */
  private static void sendWithTelemetry(DriverFixture fixture, List<InferenceRequest> requests) {
    int window = 0;
    for (InferenceRequest request : requests) {
      Instant at = T0.plusSeconds(60L * window + 20);
      if (window < 3 && !request.getTimestamp().isBefore(at)) {
        fixture.send(sample("xeon-1", "xeon-8480", at).setAvgPowerWatts(300)
            .setTokensProcessed(3_000).build());
        fixture.send(sample("grav-1", "graviton3", at).setAvgPowerWatts(150)
            .setTokensProcessed(4_000).build());
        window++;
      }
      fixture.send(request);
    }
  }

  /** Advances stream time far enough that every window of the first three minutes is closed and flushed. */
  private static void flush(DriverFixture fixture) {
    fixture.driver.advanceWallClockTime(Duration.ofMinutes(30)); // else "future" timestamps
    fixture.send(sample("xeon-1", "xeon-8480", T0.plus(Duration.ofMinutes(10))).build());
    fixture.send(sample("xeon-1", "xeon-8480", T0.plus(Duration.ofMinutes(20))).build());
  }

  private static long tokens(List<InferenceRequest> requests) {
    return requests.stream().mapToLong(r -> r.getPromptTokens() + r.getMaxOutputTokens()).sum();
  }

  private static Map<String, ChipFamilyEfficiency> finalsBefore(
      List<KeyValue<String, ChipFamilyEfficiency>> records, Instant end) {
    Map<String, ChipFamilyEfficiency> finals = new HashMap<>();
    for (KeyValue<String, ChipFamilyEfficiency> record : records) {
      if (record.value.getWindowStart().isBefore(end)) {
        assertThat(finals.put(record.key, record.value))
            .as("one final record per family and window: %s", record.key).isNull();
      }
    }
    return finals;
  }

  @Test
  void finalModeWritesOneRecordPerFamilyAndWindowAndLosesNoToken() {
    List<InferenceRequest> requests = requests();
    Map<String, ChipFamilyEfficiency> finals;
    try (DriverFixture fixture = new DriverFixture(tumbling(EmitMode.FINAL, Duration.ofSeconds(30)))) {
      sendWithTelemetry(fixture, requests);
      flush(fixture);
      List<KeyValue<String, ChipFamilyEfficiency>> out = fixture.efficiency.readKeyValuesToList();
      assertThat(out).allSatisfy(r -> assertThat(r.value.getIsFinal()).isTrue());
      finals = finalsBefore(out, T0.plus(Duration.ofMinutes(3)));
    }

    assertThat(finals.values().stream()
        .mapToLong(e -> e.getPromptTokens() + e.getOutputTokens()).sum())
        .as("tokens over all windows = tokens of all valid requests").isEqualTo(tokens(requests));
    assertThat(finals.values().stream().mapToLong(ChipFamilyEfficiency::getRequests).sum())
        .isEqualTo(requests.size());
    assertThat(finals).containsKeys("APPLE_A_SERIES@" + T0, "X86@" + T0, "GRAVITON@" + T0);

    ChipFamilyEfficiency graviton = finals.get("GRAVITON@" + T0);
    assertThat(graviton.getTokensPerJouleBasis()).isEqualTo(EfficiencyBasis.MEASURED);
    // 4000 tokens / (150 W x 10 s) against 3000 / (300 W x 10 s): 2.667 / 1.0.
    assertThat(graviton.getTokensPerJoule()).isCloseTo(4000.0 / 1500, within(1e-9));
    assertThat(graviton.getEfficiencyIndexVsX86()).isCloseTo(2.6667, within(1e-3));
    assertThat(finals.get("X86@" + T0).getEfficiencyIndexVsX86()).isCloseTo(1.0, within(1e-9));

    ChipFamilyEfficiency device = finals.get("APPLE_A_SERIES@" + T0);
    assertThat(device.getLocalShare()).isEqualTo(1.0);
    assertThat(device.getTokensPerJouleBasis()).isEqualTo(EfficiencyBasis.ESTIMATED);
    assertThat(device.getLatencyP50Ms()).isNotNull();
    assertThat(device.getLatencyP95Ms()).isGreaterThanOrEqualTo(device.getLatencyP50Ms());
    assertThat(device.getTokensPerDollar()).as("no cost on a device").isNull();
  }

  @Test
  void outOfOrderInputWithinGraceGivesTheSameResultsAsOrdered() {
    List<InferenceRequest> ordered = requests();
    List<InferenceRequest> shuffled = new ArrayList<>();
    Random random = new Random(7);
    for (int block = 0; block < ordered.size(); block += 6) { // 6 x 3 s = 18 s < 30 s grace
      List<InferenceRequest> part = new ArrayList<>(ordered.subList(block,
          Math.min(block + 6, ordered.size())));
      Collections.shuffle(part, random);
      shuffled.addAll(part);
    }
    assertThat(shuffled).isNotEqualTo(ordered);

    assertThat(finals(shuffled)).isEqualTo(finals(ordered));
  }

  @Test
  void aPartialSumFallsInTheSameWindowsAsEachOfItsRecords() {
    // Windows [0, 90) and [60, 150), ...: 70 s is in both, 95 s only in the second; the slots
    // (gcd of 90 and 60 = 30 s) keep them apart.
    TopologyConfig hopping = DriverFixture.config().withWindows(Duration.ofSeconds(90),
        MINUTE, Duration.ZERO, EmitMode.FINAL);
    try (DriverFixture fixture = new DriverFixture(hopping)) {
      fixture.pipe(request("both", T0.plusSeconds(70)).build());
      fixture.pipe(request("second-only", T0.plusSeconds(95)).build());
      fixture.flushPartials();
      flush(fixture);

      Map<String, ChipFamilyEfficiency> finals = finalsBefore(
          fixture.efficiency.readKeyValuesToList(), T0.plus(Duration.ofMinutes(2)));
      assertThat(finals.get("APPLE_A_SERIES@" + T0).getRequests()).isEqualTo(1);
      assertThat(finals.get("APPLE_A_SERIES@" + T0.plusSeconds(60)).getRequests()).isEqualTo(2);
    }
  }

  private static Map<String, ChipFamilyEfficiency> finals(List<InferenceRequest> input) {
    try (DriverFixture fixture = new DriverFixture(tumbling(EmitMode.FINAL, Duration.ofSeconds(30)))) {
      sendWithTelemetry(fixture, input);
      flush(fixture);
      return finalsBefore(fixture.efficiency.readKeyValuesToList(),
          T0.plus(Duration.ofMinutes(3)));
    }
  }

  @Test
  void lateRecordsWithinGraceCountAndLaterOnesAreDroppedAndCounted() {
    try (DriverFixture fixture = new DriverFixture(tumbling(EmitMode.FINAL, Duration.ofSeconds(10)))) {
      fixture.send(request("a", T0.plusSeconds(30)).build());
      fixture.send(request("b", T0.plusSeconds(65)).build());
      fixture.send(request("late-ok", T0.plusSeconds(50)).build()); // stream time 65 < 60 + 10
      fixture.send(request("c", T0.plusSeconds(75)).build());       // closes window 0 at 70
      fixture.send(request("too-late", T0.plusSeconds(55)).build()); // window 0 is closed
      flush(fixture);

      Map<String, ChipFamilyEfficiency> finals = finalsBefore(
          fixture.efficiency.readKeyValuesToList(), T0.plus(Duration.ofMinutes(2)));
      assertThat(finals.get("APPLE_A_SERIES@" + T0).getRequests()).isEqualTo(2);
      assertThat(finals.get("APPLE_A_SERIES@" + T0.plusSeconds(60)).getRequests()).isEqualTo(2);
      assertThat(fixture.decisions.readKeyValuesToList()).extracting(kv -> kv.key)
          .as("a late request still gets its decision").contains("too-late");
      assertThat(droppedRecords(fixture)).isEqualTo(1.0);
    }
  }

  @Test
  void eagerModeUpdatesWhileTheWindowIsOpen() {
    try (DriverFixture fixture = new DriverFixture(tumbling(EmitMode.EAGER, Duration.ofSeconds(30)))) {
      for (int i = 0; i < 5; i++) {
        fixture.send(request("r" + i, T0.plusSeconds(i)).build());
      }
      List<KeyValue<String, ChipFamilyEfficiency>> updates =
          fixture.efficiency.readKeyValuesToList();

      assertThat(updates).hasSize(5).allSatisfy(u -> {
        assertThat(u.key).isEqualTo("APPLE_A_SERIES@" + T0);
        assertThat(u.value.getIsFinal()).isFalse();
      });
      assertThat(updates).extracting(u -> u.value.getRequests())
          .containsExactly(1L, 2L, 3L, 4L, 5L);
    }
  }

  @Test
  void theWindowStoreHoldsTheRetentionsHourAndLetsOlderWindowsGo() {
    TopologyConfig config = tumbling(EmitMode.EAGER, Duration.ofSeconds(30));
    assertThat(config.retention()).isEqualTo(Duration.ofHours(1));
    int minutes = 120;
    // No record cache: it answers for the windows it still holds, whatever their age (up to its
    // size); the store is what a restart restores.
    try (DriverFixture fixture = new DriverFixture(config,
        Map.of(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0))) {
      for (int minute = 0; minute < minutes; minute++) {
        fixture.send(sample("xeon-1", "xeon-8480", T0.plus(MINUTE.multipliedBy(minute))
            .plusSeconds(20)).build());
        fixture.driver.advanceWallClockTime(MINUTE); // the wall clock keeps up with event time
      }
      assertThat(fixture.deadLetters.isEmpty()).as("no sample rejected").isTrue();

      List<Long> held = new ArrayList<>();
      try (KeyValueIterator<Windowed<Object>, Object> windows = fixture.driver
          .getWindowStore(ChipstreamTopology.FAMILY_WINDOW_STORE).all()) {
        windows.forEachRemaining(window -> held.add(
            Duration.between(T0, window.key.window().startTime()).toMinutes()));
      }
      List<Long> lastHour = new ArrayList<>();
      for (long minute = minutes - 60; minute < minutes; minute++) {
        lastHour.add(minute);
      }
      assertThat(held).as("the last hour's windows, none older").isEqualTo(lastHour);
    }
  }

  @Test
  void hoppingWindowsCountEachRecordInEveryWindowThatHoldsIt() {
    TopologyConfig hopping = DriverFixture.config()
        .withWindows(MINUTE, Duration.ofSeconds(30), Duration.ZERO, EmitMode.FINAL);
    try (DriverFixture fixture = new DriverFixture(hopping)) {
      fixture.send(request("r", T0.plusSeconds(40)).build());
      fixture.send(sample("xeon-1", "xeon-8480", T0.plusSeconds(40)).build());
      flush(fixture);
      Map<String, ChipFamilyEfficiency> finals = finalsBefore(
          fixture.efficiency.readKeyValuesToList(), T0.plus(Duration.ofMinutes(2)));

      assertThat(finals.get("APPLE_A_SERIES@" + T0).getRequests()).isEqualTo(1);
      assertThat(finals.get("APPLE_A_SERIES@" + T0.plusSeconds(30)).getRequests()).isEqualTo(1);
      assertThat(finals.get("APPLE_A_SERIES@" + T0).getWindowEnd()).isEqualTo(T0.plus(MINUTE));
    }
  }

  @Test
  void trainingTelemetryYieldsTrainingEfficiencyAgainstGpuAndX86() {
    try (DriverFixture fixture = new DriverFixture(tumbling(EmitMode.FINAL, Duration.ZERO))) {
      Instant at = T0.plusSeconds(10);
      fixture.send(sample("trn-1", "trainium1", at).setWorkload(Workload.TRAINING)
          .setAvgPowerWatts(200).setTokensProcessed(30_000).build());
      fixture.send(sample("gpu-1", "h100-sxm", at).setWorkload(Workload.TRAINING)
          .setAvgPowerWatts(700).setTokensProcessed(70_000).build());
      fixture.send(sample("xeon-1", "xeon-8480", at).setWorkload(Workload.TRAINING)
          .setAvgPowerWatts(350).setTokensProcessed(7_000).build());
      flush(fixture);
      Map<String, ChipFamilyEfficiency> finals = finalsBefore(
          fixture.efficiency.readKeyValuesToList(), T0.plus(MINUTE));

      ChipFamilyEfficiency trainium = finals.get("TRAINIUM@" + T0);
      assertThat(trainium.getTrainingTokensPerJoule()).isCloseTo(15.0, within(1e-9));
      assertThat(trainium.getTrainingIndexVsGpu()).isCloseTo(1.5, within(1e-9));
      assertThat(trainium.getTrainingIndexVsX86()).isCloseTo(7.5, within(1e-9));
      assertThat(trainium.getTokensPerJoule()).as("no inference data").isNull();
    }
  }

  private static double droppedRecords(DriverFixture fixture) {
    double total = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : fixture.driver.metrics().entrySet()) {
      if (e.getKey().name().equals("dropped-records-total")) {
        total += (double) e.getValue().metricValue();
      }
    }
    return total;
  }
}
