package io.chipstream.producers.fleet;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ComputeTier;
import io.chipstream.avro.ExecutionTarget;
import io.chipstream.avro.Feature;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.PrivacyClass;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.avro.Workload;
import io.chipstream.classify.Classifier;
import io.chipstream.classify.CloudChips;
import io.chipstream.classify.Decision;
import io.chipstream.classify.Estimator;
import io.chipstream.classify.RoutingPolicy;
import io.chipstream.producers.trace.TokenSizes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A fleet of devices issuing requests, and the telemetry of the devices and servers that serve
 * them.
 *
 * <p>Request sizes are drawn from a real trace; device state evolves per device. To make the
 * telemetry agree with the load, the simulator routes each request it makes with the same
 * {@link Classifier} and catalog as the Streams app, and each source reports, per interval:
 *
 * <pre>
 * utilization   = busy seconds / (interval seconds x chips)       (busy: the estimator's compute time)
 * power (W)     = catalog power x chips x (0.3 + 0.7 x utilization)  on servers (30% idle draw)
 *               = catalog power x utilization                       on devices (the Neural Engine idles)
 * tokens        = prompt + output tokens of the requests it served
 * training      = TRAINING nodes (Trainium, 8-GPU H100, Xeon) at ~90% utilization processing
 *                 prefill tokens/s / 3 per chip (a backward pass costs about two forward ones)
 * </pre>
 *
 * Everything but the timestamps is a function of the seed and the order of calls.
 */
public final class FleetSimulator {
  private static final double SERVER_IDLE = 0.3;

  private final FleetConfig config;
  private final Random random;
  private final TokenSizes sizes;
  private final Classifier classifier;
  private final Estimator estimator;
  private final Map<String, ChipCapability> catalog = new LinkedHashMap<>();
  /** The cloud chips with every figure an estimate needs: routed to, and reporting telemetry. */
  private final CloudChips cloudChips;
  private final List<SimDevice> devices = new ArrayList<>();
  private final Map<String, Load> loads = new LinkedHashMap<>();
  private final Map<String, Integer> roundRobin = new LinkedHashMap<>();
  private Instant lastTelemetry;

  public FleetSimulator(FleetConfig config, List<ChipCapability> catalog, TokenSizes sizes,
      RoutingPolicy policy, Instant now) {
    this.config = config;
    this.random = new Random(config.seed());
    this.sizes = sizes;
    this.classifier = new Classifier(policy);
    this.estimator = new Estimator(0);
    for (ChipCapability chip : catalog) {
      this.catalog.put(chip.getChipModel(), chip);
    }
    this.cloudChips = CloudChips.of(catalog);
    for (String chip : config.deviceChips().items()) {
      if (!this.catalog.containsKey(chip)) {
        throw new IllegalArgumentException("device chip '" + chip + "' is not in the catalog");
      }
    }
    for (int i = 0; i < config.devices(); i++) {
      String chip = config.deviceChips().draw(random);
      devices.add(new SimDevice(String.format("device-%05d", i), chip, random, now));
    }
    this.lastTelemetry = now;
  }

  /** The next request, its sizes drawn from the trace distribution. */
  public InferenceRequest nextRequest(Instant now) {
    int[] drawn = sizes.draw(random);
    return request(now, drawn[0], drawn[1]);
  }

  /** A request of the given sizes (a trace row's) from a simulated device. */
  public InferenceRequest request(Instant now, int promptTokens, int outputTokens) {
    SimDevice device = devices.get(random.nextInt(devices.size()));
    Feature feature = config.features().draw(random);
    PrivacyClass privacy = privacy(feature);
    boolean consent = feature == Feature.THIRD_PARTY_HANDOFF
        ? random.nextDouble() < 0.6 : random.nextDouble() < 0.1;
    InferenceRequest request = InferenceRequest.newBuilder()
        .setRequestId(new UUID(random.nextLong(), random.nextLong()).toString())
        .setDeviceId(device.id)
        .setDeviceChip(device.chip)
        .setTimestamp(now)
        .setFeature(feature)
        .setPromptTokens(promptTokens)
        .setMaxOutputTokens(outputTokens)
        .setPrivacyClass(privacy)
        .setThirdPartyConsent(consent)
        .setDeviceState(device.use(now, random))
        .setLatencyTargetMs(latencyTarget(feature))
        .setOrigin("simulator")
        .build();
    account(request);
    return request;
  }

  /** Telemetry of every source whose interval ended by {@code now}; empty between intervals. */
  public List<TelemetrySample> telemetryDue(Instant now) {
    long intervalMs = config.telemetryInterval().toMillis();
    if (now.toEpochMilli() - lastTelemetry.toEpochMilli() < intervalMs) {
      return List.of();
    }
    lastTelemetry = now;
    List<TelemetrySample> samples = new ArrayList<>();
    for (ChipCapability chip : cloudChips.chips()) {
      for (int n = 1; n <= config.nodesPerCloudChip(); n++) {
        String node = chip.getChipModel() + "-node-" + n;
        samples.add(sample(node, chip, loads.remove(node), 1, intervalMs, now));
      }
    }
    for (Map.Entry<String, Load> device : List.copyOf(loads.entrySet())) {
      ChipCapability chip = catalog.get(device.getValue().chipModel);
      samples.add(sample(device.getKey(), chip, device.getValue(), 1, intervalMs, now));
    }
    loads.clear();
    if (config.training()) {
      samples.addAll(training(now, intervalMs));
    }
    return samples;
  }

  private void account(InferenceRequest request) {
    ChipCapability device = catalog.get(request.getDeviceChip());
    Decision decision = classifier.classify(request, device, cloudChips);
    if (decision.chip() == null) {
      return;
    }
    String source;
    if (decision.target() == ExecutionTarget.LOCAL) {
      source = request.getDeviceId();
    } else {
      String chipModel = decision.chip().getChipModel();
      int next = roundRobin.merge(chipModel, 1, Integer::sum);
      source = chipModel + "-node-" + (1 + next % config.nodesPerCloudChip());
    }
    Load load = loads.computeIfAbsent(source, s -> new Load(decision.chip().getChipModel()));
    load.tokens += request.getPromptTokens() + request.getMaxOutputTokens();
    load.requests++;
    load.busySeconds += estimator.estimate(decision.chip(), request.getPromptTokens(),
        request.getMaxOutputTokens()).latencyMs() / 1000;
  }

  private TelemetrySample sample(String source, ChipCapability chip, Load load, int chips,
      long intervalMs, Instant now) {
    double seconds = intervalMs / 1000.0;
    double busy = load == null ? 0 : load.busySeconds;
    double utilization = Math.min(1, busy / (seconds * chips));
    double watts = chip.getPowerWatts().getValue() * chips;
    double power = chip.getTier() == ComputeTier.DEVICE ? watts * utilization
        : watts * (SERVER_IDLE + (1 - SERVER_IDLE) * utilization);
    return TelemetrySample.newBuilder()
        .setSourceId(source)
        .setChipModel(chip.getChipModel())
        .setTimestamp(now)
        .setIntervalMs(intervalMs)
        .setWorkload(Workload.INFERENCE)
        .setAvgPowerWatts(power)
        .setUtilization(utilization)
        .setTokensProcessed(load == null ? 0 : load.tokens)
        .setRequestsCompleted(load == null ? 0 : load.requests)
        .setChipCount(chips)
        .build();
  }

  private List<TelemetrySample> training(Instant now, long intervalMs) {
    List<TelemetrySample> samples = new ArrayList<>();
    addTraining(samples, "trn1-train-1", "trainium1", 1, now, intervalMs);
    addTraining(samples, "h100-train-1", "h100-sxm", 8, now, intervalMs);
    addTraining(samples, "xeon-train-1", "xeon-8480", 1, now, intervalMs);
    return samples;
  }

  private void addTraining(List<TelemetrySample> samples, String source, String chipModel,
      int chips, Instant now, long intervalMs) {
    ChipCapability chip = catalog.get(chipModel);
    if (chip == null || !Estimator.estimable(chip)) {
      return;
    }
    double utilization = Math.min(1, Math.max(0, 0.9 + random.nextGaussian() * 0.03));
    double tokensPerSecond = chip.getPrefillTokensPerSecond().getValue() / 3 * chips;
    samples.add(TelemetrySample.newBuilder()
        .setSourceId(source)
        .setChipModel(chipModel)
        .setTimestamp(now)
        .setIntervalMs(intervalMs)
        .setWorkload(Workload.TRAINING)
        .setAvgPowerWatts(chip.getPowerWatts().getValue() * chips
            * (SERVER_IDLE + (1 - SERVER_IDLE) * utilization))
        .setUtilization(utilization)
        .setTokensProcessed(Math.round(tokensPerSecond * utilization * intervalMs / 1000.0))
        .setRequestsCompleted(0)
        .setChipCount(chips)
        .build());
  }

  private PrivacyClass privacy(Feature feature) {
    double x = random.nextDouble();
    return switch (feature) {
      case MAIL_SUMMARY, NOTIFICATION_SUMMARY, SMART_REPLY, SIRI ->
          x < 0.8 ? PrivacyClass.PERSONAL : x < 0.95 ? PrivacyClass.SENSITIVE
              : PrivacyClass.NON_PERSONAL;
      case IMAGE_GENERATION, GENMOJI -> x < 0.8 ? PrivacyClass.NON_PERSONAL : PrivacyClass.PERSONAL;
      default -> x < 0.5 ? PrivacyClass.NON_PERSONAL : PrivacyClass.PERSONAL;
    };
  }

  private static Integer latencyTarget(Feature feature) {
    return switch (feature) {
      case SMART_REPLY -> 1_500;
      case SIRI -> 3_000;
      case NOTIFICATION_SUMMARY -> 5_000;
      case WRITING_TOOLS, MAIL_SUMMARY -> 10_000;
      default -> null;
    };
  }

  /** Work a source did in the current interval. */
  private static final class Load {
    final String chipModel;
    long tokens;
    long requests;
    double busySeconds;

    Load(String chipModel) {
      this.chipModel = chipModel;
    }
  }
}
