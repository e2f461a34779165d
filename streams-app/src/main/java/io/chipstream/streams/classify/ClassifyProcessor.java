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
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Applies the {@link Classifier} to each enriched request: exactly one {@link RoutingDecision}
 * per request.
 *
 * <p>The cloud candidates are every off-device chip of the catalog's global store. Reading and
 * decoding the whole store per request would cost more than the decision, so each task keeps
 * them and re-reads the store at most once per {@code refresh} (wall clock); a catalog change
 * reaches decisions within that time.
 */
public final class ClassifyProcessor
    implements FixedKeyProcessor<String, Enriched, RoutingDecision> {
  private final Classifier classifier;
  private final String catalogStore;
  private final long refreshNanos;
  private FixedKeyProcessorContext<String, RoutingDecision> context;
  private KeyValueStore<String, ValueAndTimestamp<ChipCapability>> catalog;
  /** Counters by enum ordinal: no string building per decision (it showed in the profile). */
  private org.apache.kafka.common.metrics.Sensor[] targetSensors;
  private org.apache.kafka.common.metrics.Sensor[] reasonSensors;
  private List<ChipCapability> cloudChips = List.of();
  private long loadedAt;
  private boolean loaded;

  public ClassifyProcessor(Classifier classifier, String catalogStore, Duration refresh) {
    this.classifier = classifier;
    this.catalogStore = catalogStore;
    this.refreshNanos = refresh.toNanos();
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
  public void process(FixedKeyRecord<String, Enriched> record) {
    InferenceRequest request = record.value().request();
    Decision decision = classifier.classify(request, record.value().deviceChip(), cloudChips());
    targetSensors[decision.target().ordinal()].record();
    for (RoutingReason reason : decision.reasons()) {
      reasonSensors[reason.ordinal()].record();
    }
    context.forward(record.withValue(toRecord(request, decision)));
  }

  private List<ChipCapability> cloudChips() {
    long now = System.nanoTime();
    if (!loaded || now - loadedAt >= refreshNanos) {
      List<ChipCapability> chips = new ArrayList<>();
      try (KeyValueIterator<String, ValueAndTimestamp<ChipCapability>> all = catalog.all()) {
        all.forEachRemaining(entry -> {
          ChipCapability chip = entry.value == null ? null : entry.value.value();
          if (chip != null && chip.getTier() != ComputeTier.DEVICE) {
            chips.add(chip);
          }
        });
      }
      cloudChips = List.copyOf(chips);
      loadedAt = now;
      loaded = true;
    }
    return cloudChips;
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
