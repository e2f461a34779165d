package io.chipstream.reliability;

import io.chipstream.avro.DeviceState;
import io.chipstream.avro.Feature;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.PrivacyClass;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.avro.ThermalState;
import io.chipstream.avro.Workload;
import java.time.Instant;

/** Deterministic input: the same index always gives the same record. */
final class Records {
  private static final String[] DEVICE_CHIPS = {"a17-pro", "a16-bionic", "m4", "a18-pro"};
  private static final Feature[] FEATURES = {Feature.WRITING_TOOLS, Feature.SIRI,
      Feature.NOTIFICATION_SUMMARY, Feature.SMART_REPLY, Feature.IMAGE_GENERATION};
  private static final String[][] SERVERS = {{"xeon-node-1", "xeon-8480"},
      {"inf2-node-1", "inferentia2"}, {"h100-node-1", "h100-sxm"}, {"m2-ultra-node-1",
      "m2-ultra"}};

  private Records() {}

  /** Request {@code i}, id {@code <prefix>-<i>}, at {@code at}. */
  static InferenceRequest request(String prefix, int i, Instant at) {
    return InferenceRequest.newBuilder()
        .setRequestId(prefix + "-" + i)
        .setDeviceId("dev-" + (i % 23))
        .setDeviceChip(DEVICE_CHIPS[i % DEVICE_CHIPS.length])
        .setTimestamp(at)
        .setFeature(FEATURES[(i / 3) % FEATURES.length])
        .setPromptTokens(80 + (i * 37) % 6000)
        .setMaxOutputTokens(16 + (i * 11) % 400)
        .setPrivacyClass(i % 3 == 0 ? PrivacyClass.PERSONAL : PrivacyClass.NON_PERSONAL)
        .setDeviceState(new DeviceState(5 + i % 95, i % 4 == 0, ThermalState.NOMINAL))
        .build();
  }

  /** Server telemetry number {@code i} (one of a few inference nodes) at {@code at}. */
  static TelemetrySample serverSample(int i, Instant at) {
    String[] server = SERVERS[i % SERVERS.length];
    return sample(server[0], server[1], at, 200 + (i * 13) % 500, 2_000 + (i * 71) % 9_000);
  }

  static TelemetrySample sample(String source, String chip, Instant at, double watts,
      long tokens) {
    return TelemetrySample.newBuilder().setSourceId(source).setChipModel(chip).setTimestamp(at)
        .setIntervalMs(10_000).setWorkload(Workload.INFERENCE).setAvgPowerWatts(watts)
        .setUtilization(0.6).setTokensProcessed(tokens).setRequestsCompleted(10).build();
  }
}
