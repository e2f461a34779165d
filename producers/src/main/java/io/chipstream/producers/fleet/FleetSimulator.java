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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A fleet of devices issuing requests, and the telemetry of the devices and servers that serve
 * them.
 *
 * <p>Request sizes are drawn from a real trace; device state evolves per device. To make the
 * telemetry agree with the load, the simulator routes each request it makes with the same
 * {@link Classifier} and catalog as the Streams app, and each source reports, per interval
 * (the time since the last report, at least the configured one):
 *
 * <pre>
 * busy seconds  = the estimator's compute time of the requests a source serves
 * servers       : each cloud chip model is a pool, sized every interval to its load so that no
 *                 chip runs over 80%: chips = ceil(busy / (interval x 0.8)), but no more than
 *                 its requests (one runs on one chip) and at least the configured nodes; reported
 *                 by nodes of up to 16 chips each (chipCount). A model with no work in an
 *                 interval runs no nodes and reports nothing: scaled to zero, as a model the
 *                 router does not use is not deployed
 * devices       : one chip
 * backlog       : work a source's chips cannot do in the interval waits for the next one
 * utilization   = busy seconds / (interval seconds x chips)
 * power (W)     = catalog power x chips x (0.3 + 0.7 x utilization)  on servers (30% idle draw)
 *               = catalog power x utilization                       on devices (the Neural Engine idles)
 * tokens        = prompt + output tokens of the requests it served
 * training      = TRAINING nodes (Trainium, 8-GPU H100, Xeon) at ~90% utilization processing
 *                 prefill tokens/s / 3 per chip (a backward pass costs about two forward ones)
 * </pre>
 *
 * So the measured energy of the work served is never below the estimator's: a device's equals
 * it, a server's adds its idle draw. (A pool of fixed size would cap the power of a saturated
 * chip and still count every token sent to it, so its tokens per joule would be the load's, not
 * the chip's.)
 *
 * <p>Everything but the timestamps is a function of the seed and the order of calls.
 */
public final class FleetSimulator {
  private static final double SERVER_IDLE = 0.3;
  /** The highest utilization a server pool is sized for. */
  static final double SERVER_TARGET_UTILIZATION = 0.8;
  /** The most chips one server node's telemetry covers. */
  static final int MAX_CHIPS_PER_NODE = 16;

  private final FleetConfig config;
  private final Random random;
  private final TokenSizes sizes;
  private final Classifier classifier;
  private final Estimator estimator;
  private final Map<String, ChipCapability> catalog = new LinkedHashMap<>();
  /** The cloud chips with every figure an estimate needs: routed to, and reporting telemetry. */
  private final CloudChips cloudChips;
  private final List<SimDevice> devices = new ArrayList<>();
  /** Work sent to each cloud chip model's pool and not yet reported. */
  private final Map<String, Load> poolLoads = new LinkedHashMap<>();
  /** Work sent to each device and not yet reported (a device's backlog waits for it). */
  private final Map<String, Load> deviceLoads = new LinkedHashMap<>();
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
      ChipCapability row = this.catalog.get(chip);
      if (row == null || row.getTier() != ComputeTier.DEVICE) {
        // A server chip as a device's would report phone-sized telemetry under its family.
        throw new IllegalArgumentException("device chip '" + chip + "' is "
            + (row == null ? "not in the catalog" : "a " + row.getTier() + " chip")
            + "; the catalog's device chips: " + catalog.stream()
                .filter(c -> c.getTier() == ComputeTier.DEVICE).map(ChipCapability::getChipModel)
                .sorted().collect(Collectors.joining(", ")));
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
    long intervalMs = now.toEpochMilli() - lastTelemetry.toEpochMilli();
    if (intervalMs < config.telemetryInterval().toMillis()) {
      return List.of();
    }
    return report(now, intervalMs);
  }

  /**
   * The last telemetry of a run that stops at {@code now}: every source reports the time since
   * its last report, however short, so the requests made since then are in the telemetry too,
   * as far as their chips got by {@code now}. Empty if no time has passed.
   */
  public List<TelemetrySample> telemetryAtEnd(Instant now) {
    long intervalMs = now.toEpochMilli() - lastTelemetry.toEpochMilli();
    return intervalMs <= 0 ? List.of() : report(now, intervalMs);
  }

  private List<TelemetrySample> report(Instant now, long intervalMs) {
    lastTelemetry = now;
    List<TelemetrySample> samples = new ArrayList<>();
    for (ChipCapability chip : cloudChips.chips()) {
      pool(chip, intervalMs, now, samples);
    }
    double seconds = intervalMs / 1000.0;
    for (Iterator<Map.Entry<String, Load>> it = deviceLoads.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, Load> device = it.next();
      Load load = device.getValue();
      Load served = load.take(Math.min(1, seconds / load.busySeconds));
      samples.add(sample(device.getKey(), catalog.get(load.chipModel), served, 1, intervalMs,
          now));
      if (load.busySeconds <= 0) {
        it.remove();
      }
    }
    if (config.training()) {
      samples.addAll(training(now, intervalMs));
    }
    return samples;
  }

  /**
   * One interval of a cloud chip model's pool: as many chips as serve its load at no more than
   * the target utilization, but no more than it has requests (a request runs on one chip), and
   * at least one per configured node; over as many nodes as hold them, each serving its chips'
   * share. Work the chips could not do in the interval waits for the next one. A model with no
   * work, new or waiting, runs no nodes: its idle draw would count against its family's
   * efficiency for chips the router never used (a family with more unused models would look
   * worse for it).
   */
  private void pool(ChipCapability chip, long intervalMs, Instant now,
      List<TelemetrySample> samples) {
    String model = chip.getChipModel();
    Load load = poolLoads.get(model);
    if (load == null) {
      return;
    }
    double seconds = intervalMs / 1000.0;
    int minimum = config.nodesPerCloudChip();
    long wanted = (long) Math.ceil(load.busySeconds / (seconds * SERVER_TARGET_UTILIZATION));
    int chips = (int) Math.max(minimum, Math.min(load.requests, wanted));
    Load rest = load.take(Math.min(1, chips * seconds / load.busySeconds));
    if (load.busySeconds <= 0) {
      poolLoads.remove(model);
    }
    int nodes = Math.max(minimum, (chips + MAX_CHIPS_PER_NODE - 1) / MAX_CHIPS_PER_NODE);
    int chipsLeft = chips;
    for (int n = nodes; n >= 1; n--) {
      // The remainder of chips / nodes goes to the last nodes, a chip each.
      int nodeChips = chipsLeft / n;
      Load served = rest.take((double) nodeChips / chipsLeft);
      chipsLeft -= nodeChips;
      samples.add(sample(model + "-node-" + (nodes - n + 1), chip, served, nodeChips,
          intervalMs, now));
    }
  }

  private void account(InferenceRequest request) {
    ChipCapability device = catalog.get(request.getDeviceChip());
    Decision decision = classifier.classify(request, device, cloudChips);
    if (decision.chip() == null) {
      return;
    }
    String chipModel = decision.chip().getChipModel();
    Load load = decision.target() == ExecutionTarget.LOCAL
        ? deviceLoads.computeIfAbsent(request.getDeviceId(), d -> new Load(chipModel))
        : poolLoads.computeIfAbsent(chipModel, Load::new);
    load.tokens += request.getPromptTokens() + request.getMaxOutputTokens();
    load.requests++;
    load.busySeconds += estimator.estimate(decision.chip(), request.getPromptTokens(),
        request.getMaxOutputTokens()).latencyMs() / 1000;
  }

  private TelemetrySample sample(String source, ChipCapability chip, Load load, int chips,
      long intervalMs, Instant now) {
    double seconds = intervalMs / 1000.0;
    double utilization = Math.min(1, load.busySeconds / (seconds * chips));
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
        .setTokensProcessed(load.tokens)
        .setRequestsCompleted(load.requests)
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

  /** Work sent to a source and not yet reported. */
  private static final class Load {
    final String chipModel;
    long tokens;
    long requests;
    double busySeconds;

    Load(String chipModel) {
      this.chipModel = chipModel;
    }

    /**
     * Takes {@code share} (0 to 1) of this work out of it, whole tokens and requests: all of it
     * at 1, so nothing is left behind by rounding.
     */
    Load take(double share) {
      Load taken = new Load(chipModel);
      if (share >= 1) {
        taken.tokens = tokens;
        taken.requests = requests;
        taken.busySeconds = busySeconds;
      } else {
        taken.tokens = Math.round(tokens * share);
        taken.requests = Math.round(requests * share);
        taken.busySeconds = busySeconds * share;
      }
      tokens -= taken.tokens;
      requests -= taken.requests;
      busySeconds -= taken.busySeconds;
      return taken;
    }
  }
}
