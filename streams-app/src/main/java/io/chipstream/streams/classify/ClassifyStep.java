package io.chipstream.streams.classify;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.ComputeTier;
import io.chipstream.avro.ExecutionTarget;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.avro.RoutingReason;
import io.chipstream.classify.Classifier;
import io.chipstream.classify.CloudChips;
import io.chipstream.classify.Decision;
import io.chipstream.classify.RoutingPolicy;
import io.chipstream.streams.PipelineMetrics;
import io.chipstream.streams.ReadableRows;
import io.chipstream.streams.aggregate.SlotPartials;
import io.chipstream.streams.validate.Checked;
import io.chipstream.streams.validate.ValidateProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@link Classifier} to each valid request, with its device chip and the cloud
 * chips from the catalog: exactly one {@link RoutingDecision} per request, forwarded to the
 * decisions' child and added to its family's partial sum ({@link SlotPartials}). It runs in the
 * requests' validating node ({@link ValidateProcessor}), so a request takes no processor hop
 * between its check, its decision and its sum: the decisions' sink is its only hop.
 *
 * <p>The chips come from the catalog's global store. Decoding catalog rows per request (a join
 * with the global table decodes the device chip's row every time) cost more than the decision
 * itself in the profile, so each task keeps the decoded catalog and re-reads the store at most
 * once per {@code refresh} (wall clock); a catalog change reaches decisions within that time.
 */
public final class ClassifyStep implements ValidateProcessor.Valid<InferenceRequest> {
  private static final Duration PUBLISH_EVERY = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(ClassifyStep.class);
  private final Classifier classifier;
  private final String catalogStore;
  private final long refreshMs;
  private final String decisionsChild;
  private final SlotPartials<RoutingDecision> partials;
  private final String sumsChild;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, ValueAndTimestamp<ChipCapability>> catalog;
  /**
   * Decisions by target and by reason, counted in plain fields (by enum ordinal) and published
   * to the metrics once a second: recording a Kafka sensor per decision took about 4% of the
   * stream thread.
   */
  private Sensor[] targetSensors;
  private Sensor[] reasonSensors;
  private long[] targetCounts;
  private long[] reasonCounts;
  private CloudChips cloudChips = CloudChips.of(List.of());
  private Map<String, ChipCapability> chipsByModel = Map.of();
  private long loadedAt;
  private boolean loaded;
  private int unreadableRows;

  /**
   * @param catalogStore the catalog's global store
   * @param refresh how often, at most, the decoded catalog is read again
   * @param decisionsChild the processor that gets each decision, by name
   * @param partials the sums of this task's decisions per family and slot (its store connected
   *     to the node)
   * @param sumsChild the processor that gets the sums, by name
   */
  public ClassifyStep(Classifier classifier, String catalogStore, Duration refresh,
      String decisionsChild, SlotPartials<RoutingDecision> partials, String sumsChild) {
    this.classifier = classifier;
    this.catalogStore = catalogStore;
    this.refreshMs = refresh.toMillis();
    this.decisionsChild = decisionsChild;
    this.partials = partials;
    this.sumsChild = sumsChild;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.catalog = context.getStateStore(catalogStore);
    partials.init(context, sumsChild);
    PipelineMetrics metrics = new PipelineMetrics(context.metrics(), PipelineMetrics.DECISIONS);
    ExecutionTarget[] targets = ExecutionTarget.values();
    targetSensors = new Sensor[targets.length];
    for (ExecutionTarget target : targets) {
      targetSensors[target.ordinal()] = metrics.batchSensor("target-" + target.name());
    }
    RoutingReason[] reasons = RoutingReason.values();
    reasonSensors = new Sensor[reasons.length];
    for (RoutingReason reason : reasons) {
      reasonSensors[reason.ordinal()] = metrics.batchSensor("reason-" + reason.name());
    }
    targetCounts = new long[targets.length];
    reasonCounts = new long[reasons.length];
    // On whole seconds, as the partial sums' flushes are: one punctuation, not two.
    context.schedule(Instant.EPOCH, PUBLISH_EVERY, PunctuationType.WALL_CLOCK_TIME,
        this::publishCounts);
  }

  @Override
  public void process(Checked<InferenceRequest> checked, long timestamp, Headers headers) {
    InferenceRequest request = checked.value();
    // The stream thread's cached clock: no system call per record.
    refreshCatalog(context.currentSystemTimeMs());
    Decision decision = classifier.classify(request, chipsByModel.get(request.getDeviceChip()),
        cloudChips);
    targetCounts[decision.target().ordinal()]++;
    for (RoutingReason reason : decision.reasons()) {
      reasonCounts[reason.ordinal()]++;
    }
    RoutingDecision routed = toRecord(request, decision, classifier.policy());
    partials.add(routed, timestamp);
    context.forward(new Record<>(checked.key(), routed, timestamp, headers), decisionsChild);
  }

  @Override
  public void close() {
    publishCounts(context.currentSystemTimeMs());
  }

  private void publishCounts(long now) {
    publish(targetSensors, targetCounts, now);
    publish(reasonSensors, reasonCounts, now);
  }

  private static void publish(Sensor[] sensors, long[] counts, long now) {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        // No quota check: a counter, not a throttle.
        sensors[i].record(counts[i], now, false);
        counts[i] = 0;
      }
    }
  }

  private void refreshCatalog(long now) {
    if (!loaded || now - loadedAt >= refreshMs) {
      // In the store's order, which CloudChips keeps.
      Map<String, ChipCapability> byModel = new LinkedHashMap<>();
      int unreadable;
      try (KeyValueIterator<String, ValueAndTimestamp<ChipCapability>> all = catalog.all()) {
        unreadable = ReadableRows.forEach(all, (model, row) -> {
          ChipCapability chip = row == null ? null : row.value();
          if (chip != null) {
            byModel.put(model, chip);
          }
        });
      }
      if (unreadable != unreadableRows) {
        // Rows read at start-up, before any check: their chips count as unknown until a valid
        // row replaces them. Said when the number changes, not at every refresh.
        log.warn("{} row(s) of the chip catalog cannot be decoded and are left out of it; write"
            + " a valid row (or a tombstone) for their chips", unreadable);
        unreadableRows = unreadable;
      }
      cloudChips = CloudChips.of(byModel.values());
      chipsByModel = byModel;
      loadedAt = now;
      loaded = true;
    }
  }

  /**
   * The decision as a record, under {@code policy}. Every field is set, so not the generated
   * builder: its per-field checks and flags cost half as much as the classification itself in
   * the profile. A field added to the schema and not set here stays null, which the serializer
   * refuses (so DecisionsTopologyTest fails), rather than silently taking its default. Public
   * for the end-to-end benchmark, whose fixed decisions are made into records the same way.
   */
  public static RoutingDecision toRecord(InferenceRequest request, Decision decision,
      RoutingPolicy policy) {
    ChipCapability chip = decision.chip();
    RoutingDecision record = new RoutingDecision();
    record.setRequestId(request.getRequestId());
    record.setTimestamp(request.getTimestamp());
    record.setDeviceId(request.getDeviceId());
    record.setDeviceChip(request.getDeviceChip());
    record.setFeature(request.getFeature());
    record.setTarget(decision.target());
    record.setChipModel(chip == null ? "none" : chip.getChipModel());
    record.setChipFamily(chip == null ? ChipFamily.OTHER : chip.getChipFamily());
    record.setTier(chip == null ? ComputeTier.PUBLIC_CLOUD : chip.getTier());
    record.setReasons(decision.reasons());
    record.setObjective(policy.objective());
    record.setEstimatedLatencyMs(decision.estimate().latencyMs());
    record.setEstimatedEnergyJoules(decision.estimate().energyJoules());
    record.setEstimatedCostUsd(decision.estimate().costUsd());
    record.setPromptTokens(request.getPromptTokens());
    record.setOutputTokens(request.getMaxOutputTokens());
    record.setPolicyVersion(policy.version());
    return record;
  }
}
