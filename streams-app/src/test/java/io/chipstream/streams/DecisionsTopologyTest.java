package io.chipstream.streams;

import static io.chipstream.streams.DriverFixture.T0;
import static io.chipstream.streams.DriverFixture.request;
import static io.chipstream.streams.DriverFixture.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.avro.ExecutionTarget;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.avro.RoutingReason;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.producers.fleet.FleetConfig;
import io.chipstream.streams.validate.DeadLetterProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Validation, dead letters and exactly one decision per valid request, on the test driver. */
class DecisionsTopologyTest {
  private final DriverFixture fixture = new DriverFixture(DriverFixture.config());

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void everyValidRequestYieldsExactlyOneDecisionInOrder() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String id = "r" + i;
      ids.add(id);
      fixture.send(request(id, T0.plusSeconds(i))
          .setPromptTokens(i % 5 == 0 ? 5_000 : 300).build());
    }

    List<TestRecord<String, RoutingDecision>> out = fixture.decisions.readRecordsToList();

    assertThat(out).extracting(TestRecord::key).containsExactlyElementsOf(ids);
    assertThat(fixture.decisions.isEmpty()).as("no more than one per request").isTrue();
    assertThat(fixture.deadLetters.isEmpty()).isTrue();
    RoutingDecision big = out.get(0).value();
    assertThat(big.getTarget()).isEqualTo(ExecutionTarget.CLOUD);
    assertThat(big.getReasons()).contains(RoutingReason.CONTEXT_EXCEEDS_DEVICE);
    assertThat(big.getPolicyVersion()).isEqualTo("default-1");
    RoutingDecision small = out.get(1).value();
    assertThat(small.getTarget()).isEqualTo(ExecutionTarget.LOCAL);
    assertThat(small.getChipModel()).isEqualTo("a17-pro");
    assertThat(small.getTimestamp()).isEqualTo(T0.plusSeconds(1));
    assertThat(out.get(1).timestamp()).as("event time").isEqualTo(T0.plusSeconds(1).toEpochMilli());
  }

  @Test
  void badRecordsGoToTheDeadLetterTopicWithTheirBytesAndReasonAndAreCounted() {
    byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
    byte[] unknownSchemaId = {0, 0, 0, 0x7f, 0x7f, 2, 4};
    byte[] unrelated = fixture.topics.telemetry().valueSerde().serializer()
        .serialize("x", sample("node", "l4", T0).build());
    byte[] negative = fixture.topics.requests().valueSerde().serializer()
        .serialize("x", request("neg", T0).setPromptTokens(-5).build());
    byte[] future = fixture.topics.requests().valueSerde().serializer()
        .serialize("x", request("fut", T0.plusSeconds(3600)).build());
    byte[] mismatch = fixture.topics.requests().valueSerde().serializer()
        .serialize("x", request("other-id", T0).build());

    fixture.send(request("ok-1", T0).build());
    fixture.rawRequests.pipeInput(bytes("g"), garbage);
    fixture.rawRequests.pipeInput(bytes("u"), unknownSchemaId);
    fixture.send(request("ok-2", T0).build());
    fixture.rawRequests.pipeInput(bytes("t"), unrelated);
    fixture.rawRequests.pipeInput(bytes("neg"), negative);
    fixture.rawRequests.pipeInput(bytes("fut"), future);
    fixture.rawRequests.pipeInput(bytes("mis"), mismatch);
    fixture.send(request("ok-3", T0).build());

    assertThat(fixture.decisions.readKeyValuesToList()).extracting(kv -> kv.key)
        .containsExactly("ok-1", "ok-2", "ok-3");
    List<TestRecord<byte[], byte[]>> dead = fixture.deadLetters.readRecordsToList();
    assertThat(dead).hasSize(6);
    assertThat(dead).extracting(r -> header(r.headers(), DeadLetterProcessor.REASON))
        .containsExactly("DESERIALIZATION_FAILED", "DESERIALIZATION_FAILED",
            "DESERIALIZATION_FAILED", "INVALID_TOKENS", "FUTURE_TIMESTAMP", "KEY_MISMATCH");
    assertThat(dead.get(0).value()).as("the original bytes").isEqualTo(garbage);
    assertThat(dead.get(0).key()).isEqualTo(bytes("g"));
    assertThat(dead.get(1).value()).isEqualTo(unknownSchemaId);
    assertThat(dead.get(2).value()).isEqualTo(unrelated);
    assertThat(header(dead.get(1).headers(), DeadLetterProcessor.MESSAGE)).contains("schema id");
    assertThat(header(dead.get(2).headers(), DeadLetterProcessor.MESSAGE))
        .contains("TelemetrySample");
    assertThat(header(dead.get(3).headers(), DeadLetterProcessor.TOPIC))
        .isEqualTo("inference-requests");
    assertThat(header(dead.get(3).headers(), DeadLetterProcessor.OFFSET)).isEqualTo("5");
    assertThat(header(dead.get(3).headers(), DeadLetterProcessor.PARTITION)).isEqualTo("0");
    assertThat(metric("dead-letters", "deserialization-failed-total")).isEqualTo(3.0);
    assertThat(metric("dead-letters", "invalid-tokens-total")).isEqualTo(1.0);
  }

  @Test
  void badTelemetryAndUnknownChipsAreDeadLettered() {
    fixture.send(sample("node-1", "l4", T0).build());
    fixture.send(sample("node-2", "quantum-9000", T0).build());
    fixture.send(sample("node-3", "l4", T0).setAvgPowerWatts(Double.NaN).build());
    fixture.send(sample("node-4", "l4", T0).setAvgPowerWatts(-3).build());
    fixture.send(sample("node-5", "l4", T0).setUtilization(1.7).build());

    List<TestRecord<byte[], byte[]>> dead = fixture.deadLetters.readRecordsToList();
    assertThat(dead).extracting(r -> header(r.headers(), DeadLetterProcessor.REASON))
        .containsExactlyInAnyOrder("UNKNOWN_CHIP", "INVALID_POWER", "INVALID_POWER",
            "INVALID_UTILIZATION");
    TelemetrySample unknown = fixture.topics.telemetry().valueSerde().deserializer()
        .deserialize("x", dead.stream()
            .filter(r -> header(r.headers(), DeadLetterProcessor.REASON).equals("UNKNOWN_CHIP"))
            .findFirst().orElseThrow().value());
    assertThat(unknown.getChipModel()).isEqualTo("quantum-9000");
    assertThat(metric("dead-letters", "unknown-chip-total")).isEqualTo(1.0);
  }

  @Test
  void theSimulatorsLongestTelemetryIntervalIsTheLongestTheAppAccepts() {
    long longest = FleetConfig.MAX_TELEMETRY_INTERVAL.toMillis();
    fixture.send(sample("node-1", "l4", T0).setIntervalMs(longest).build());
    fixture.send(sample("node-2", "l4", T0).setIntervalMs(longest + 1).build());

    List<TestRecord<byte[], byte[]>> dead = fixture.deadLetters.readRecordsToList();
    assertThat(dead).extracting(r -> header(r.headers(), DeadLetterProcessor.REASON))
        .containsExactly("INVALID_INTERVAL");
    assertThat(fixture.topics.telemetry().valueSerde().deserializer()
        .deserialize("x", dead.get(0).value()).getSourceId()).isEqualTo("node-2");
  }

  @Test
  void decisionsAreCountedByTargetAndReason() {
    fixture.send(request("a", T0).build());
    fixture.send(request("b", T0).setPromptTokens(9_000).build());
    fixture.decisions.readRecordsToList();
    assertThat(metric("decisions", "target-local-total")).as("published once a second")
        .isZero();

    fixture.driver.advanceWallClockTime(Duration.ofSeconds(1));
    assertThat(metric("decisions", "target-local-total")).isEqualTo(1.0);
    assertThat(metric("decisions", "target-cloud-total")).isEqualTo(1.0);
    assertThat(metric("decisions", "reason-context-exceeds-device-total")).isEqualTo(1.0);
  }

  @Test
  void aCatalogUpdateChangesLaterDecisions() {
    InferenceRequest big = request("big", T0).setPromptTokens(9_000).build();
    fixture.send(big);
    String chosen = fixture.decisions.readValue().getChipModel();
    assertThat(chosen).isEqualTo("l4"); // prompt-heavy: L4's prefill rate wins on energy

    fixture.catalog.pipeInput(chosen, null, T0); // the chip leaves the catalog
    fixture.send(request("big-2", T0).setPromptTokens(9_000).build());

    assertThat(fixture.decisions.readValue().getChipModel()).isNotEqualTo(chosen);
  }

  private double metric(String entity, String name) {
    for (Map.Entry<MetricName, ? extends Metric> entry : fixture.driver.metrics().entrySet()) {
      MetricName metricName = entry.getKey();
      if (metricName.name().equals(name) && entity.equals(metricName.tags().get("chipstream-id"))) {
        return (double) entry.getValue().metricValue();
      }
    }
    throw new AssertionError("no metric " + name + " for " + entity);
  }

  private static String header(Headers headers, String name) {
    return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
