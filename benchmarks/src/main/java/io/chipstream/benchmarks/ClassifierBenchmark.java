package io.chipstream.benchmarks;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.catalog.ChipCatalogCsv;
import io.chipstream.classify.Classifier;
import io.chipstream.classify.CloudChips;
import io.chipstream.classify.Decision;
import io.chipstream.classify.RoutingPolicy;
import io.chipstream.producers.fleet.FleetConfig;
import io.chipstream.producers.fleet.FleetSimulator;
import io.chipstream.producers.trace.TokenSizes;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Routing decisions per second on one core: the {@link Classifier} over a realistic mix of
 * requests from the fleet simulator (1,024 of them, cycled) and the built-in catalog. Goal: over
 * 2 million decisions/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class ClassifierBenchmark {
  private Classifier classifier;
  private InferenceRequest[] requests;
  private ChipCapability[] devices;
  private CloudChips cloud;
  private int next;

  @Setup
  public void setUp() {
    List<ChipCapability> catalog = ChipCatalogCsv.builtIn(Instant.EPOCH);
    Map<String, ChipCapability> byModel = new HashMap<>();
    catalog.forEach(chip -> byModel.put(chip.getChipModel(), chip));
    cloud = CloudChips.of(catalog);
    classifier = new Classifier(RoutingPolicy.defaults());
    FleetSimulator fleet = new FleetSimulator(FleetConfig.defaults(42), catalog,
        TokenSizes.builtIn(), RoutingPolicy.defaults(), Instant.EPOCH);
    requests = new InferenceRequest[1024];
    devices = new ChipCapability[requests.length];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = fleet.nextRequest(Instant.EPOCH.plusMillis(i));
      devices[i] = byModel.get(requests[i].getDeviceChip());
    }
  }

  @Benchmark
  public Decision classify() {
    int i = next++ & (requests.length - 1);
    return classifier.classify(requests[i], devices[i], cloud);
  }
}
