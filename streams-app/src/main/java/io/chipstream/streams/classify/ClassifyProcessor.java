package io.chipstream.streams.classify;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.ComputeTier;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.avro.RoutingReason;
import io.chipstream.classify.Classifier;
import io.chipstream.classify.Decision;
import io.chipstream.streams.PipelineMetrics;
import java.time.Duration;
import io.chipstream.streams.validate.Checked;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Applies the {@link Classifier} to each valid request, with its device chip and the cloud
 * chips from the catalog: exactly one {@link RoutingDecision} per request.
 *
 * <p>The chips come from the catalog's global store. Decoding catalog rows per request (a join
 * with the global table decodes the device chip's row every time) cost more than the decision
 * itself in the profile, so each task keeps the decoded catalog and re-reads the store at most
 * once per {@code refresh} (wall clock); a catalog change reaches decisions within that time.
 */
public final class ClassifyProcessor
    implements FixedKeyProcessor<String, Checked<InferenceRequest>, RoutingDecision> {
  private final Classifier classifier;
  private final String catalogStore;
  private final long refreshMs;
  private FixedKeyProcessorContext<String, RoutingDecision> context;
  private KeyValueStore<String, ValueAndTimestamp<ChipCapability>> catalog;
  /** Counters by enum ordinal: no string building per decision (it showed in the profile). */
  private org.apache.kafka.common.metrics.Sensor[] targetSensors;
  private org.apache.kafka.common.metrics.Sensor[] reasonSensors;
  private List<ChipCapability> cloudChips = List.of();
  private Map<String, ChipCapability> chipsByModel = Map.of();
  private long loadedAt;
  private boolean loaded;

  public ClassifyProcessor(Classifier classifier, String catalogStore, Duration refresh) {
    this.classifier = classifier;
    this.catalogStore = catalogStore;
    this.refreshMs = refresh.toMillis();
  }

  @Override
  public void init(FixedKeyProcessorContext<String, RoutingDecision> context) {
    this.context = context;
    this.catalog = context.getStateStore(catalogStore);
    PipelineMetrics metrics = new PipelineMetrics(context.metrics(), PipelineMetrics.DECISIONS);
    io.chipstream.avro.ExecutionTarget[] targets = io.chipstream.avro.ExecutionTarget.values();
    targetSensors = new org.apache.kafka.common.metrics.Sensor[targets.length];
    for (io.chipstream.avro.ExecutionTarget target : targets) {
      targetSensors[target.ordinal()] = metrics.sensor("target-" + target.name());
    }
    RoutingReason[] reasons = RoutingReason.values();
    reasonSensors = new org.apache.kafka.common.metrics.Sensor[reasons.length];
    for (RoutingReason reason : reasons) {
      reasonSensors[reason.ordinal()] = metrics.sensor("reason-" + reason.name());
    }
  }

  @Override
  public void process(FixedKeyRecord<String, Checked<InferenceRequest>> record) {
    InferenceRequest request = record.value().value();
    // The stream thread's cached clock, read once: for the catalog's refresh and the counters.
    long now = context.currentSystemTimeMs();
    refreshCatalog(now);
    Decision decision = classifier.classify(request, chipsByModel.get(request.getDeviceChip()),
        cloudChips);
    // No quota check: a counter, not a throttle.
    targetSensors[decision.target().ordinal()].record(1.0, now, false);
    for (RoutingReason reason : decision.reasons()) {
      reasonSensors[reason.ordinal()].record(1.0, now, false);
    }
    context.forward(record.withValue(toRecord(request, decision)));
  }

  private void refreshCatalog(long now) {
    if (!loaded || now - loadedAt >= refreshMs) {
      List<ChipCapability> cloud = new ArrayList<>();
      Map<String, ChipCapability> byModel = new HashMap<>();
      try (KeyValueIterator<String, ValueAndTimestamp<ChipCapability>> all = catalog.all()) {
        all.forEachRemaining(entry -> {
          ChipCapability chip = entry.value == null ? null : entry.value.value();
          if (chip != null) {
            byModel.put(entry.key, chip);
            if (chip.getTier() != ComputeTier.DEVICE) {
              cloud.add(chip);
            }
          }
        });
      }
      cloudChips = List.copyOf(cloud);
      chipsByModel = byModel;
      loadedAt = now;
      loaded = true;
    }
  }

  private RoutingDecision toRecord(InferenceRequest request, Decision decision) {
    ChipCapability chip = decision.chip();
    return RoutingDecision.newBuilder()
        .setRequestId(request.getRequestId())
        .setTimestamp(request.getTimestamp())
        .setDeviceId(request.getDeviceId())
        .setDeviceChip(request.getDeviceChip())
        .setFeature(request.getFeature())
        .setTarget(decision.target())
        .setChipModel(chip == null ? "none" : chip.getChipModel())
        .setChipFamily(chip == null ? ChipFamily.OTHER : chip.getChipFamily())
        .setTier(chip == null ? ComputeTier.PUBLIC_CLOUD : chip.getTier())
        .setReasons(decision.reasons())
        .setObjective(classifier.policy().objective())
        .setEstimatedLatencyMs(decision.estimate().latencyMs())
        .setEstimatedEnergyJoules(decision.estimate().energyJoules())
        .setEstimatedCostUsd(decision.estimate().costUsd())
        .setPromptTokens(request.getPromptTokens())
        .setOutputTokens(request.getMaxOutputTokens())
        .setPolicyVersion(classifier.policy().version())
        .build();
  }
}
