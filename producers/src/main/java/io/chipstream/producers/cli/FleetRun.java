package io.chipstream.producers.cli;

import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.classify.RoutingPolicy;
import io.chipstream.producers.fleet.FleetSimulator;
import io.chipstream.producers.trace.TokenSizes;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.serde.AvroSerializer;
import io.chipstream.schema.topics.ChipstreamTopics;
import io.chipstream.schema.topics.TopicAdmin;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;

/**
 * One run of the fleet simulator against a cluster: what {@code produce requests}, {@code
 * telemetry} and {@code trace} share (connections, pacing, progress, Ctrl-C, the summary).
 */
public final class FleetRun implements AutoCloseable {
  private final PrintWriter out;
  private final RestSchemaRegistryClient client;
  private final ChipstreamTopics topics;
  private final EventSink sink;
  private final FleetSimulator simulator;
  private final ProduceLoop loop;
  private final long seed;
  final AtomicLong requests = new AtomicLong();
  final AtomicLong telemetry = new AtomicLong();

  public FleetRun(ConnectionOptions connection, RunOptions options, PrintWriter out) {
    this.out = out;
    RoutingPolicy policy = options.policy(connection); // a bad file fails before any connection
    this.client = connection.registryClient();
    this.topics = connection.topics(client);
    TopicAdmin.ensure(connection.kafkaConfig(), connection.topicNames(), 3);
    AvroSerializer<SpecificRecord> values = new AvroSerializer<>(client);
    values.configure(connection.serdeConfig(), false);
    this.sink = new EventSink(connection.kafkaConfig(), values);
    this.seed = options.seed();
    this.simulator = new FleetSimulator(options.fleet(), options.catalogRows(),
        TokenSizes.builtIn(), policy, Instant.now());
    this.loop = new ProduceLoop(options.rate, options.count, options.duration(), sink,
        new Progress(System.out, System.console() != null, options.count));
  }

  public FleetSimulator simulator() {
    return simulator;
  }

  public void send(InferenceRequest request) {
    sink.send(topics.requests().name(), request.getRequestId(), request,
        request.getTimestamp().toEpochMilli());
    requests.incrementAndGet();
  }

  /** Sends the telemetry due at {@code now}. */
  public void sendTelemetryDue(Instant now) {
    send(simulator.telemetryDue(now), now);
  }

  private void send(List<TelemetrySample> samples, Instant now) {
    for (TelemetrySample sample : samples) {
      sink.send(topics.telemetry().name(), sample.getSourceId(), sample, now.toEpochMilli());
      telemetry.incrementAndGet();
    }
  }

  /** Runs until done or Ctrl-C; returns the exit code (1 if any send failed). */
  public int run(ProduceLoop.Step step) {
    return run(step, false);
  }

  /**
   * Runs until done or Ctrl-C, then, with {@code telemetryAtEnd}, sends the telemetry of the
   * last interval, however short (the requests sent in it are in the telemetry too); returns the
   * exit code (1 if any send failed).
   */
  public int run(ProduceLoop.Step step, boolean telemetryAtEnd) {
    out.printf("producing to %s, %s (seed %d); Ctrl-C stops%n", topics.requests().name(),
        topics.telemetry().name(), seed);
    out.flush();
    Thread hook = new Thread(() -> loop.stopAndWait(Duration.ofSeconds(30)), "produce-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    ProduceLoop.Result result;
    try {
      result = loop.run(step, now -> {
        if (telemetryAtEnd) {
          send(simulator.telemetryAtEnd(now), now);
        }
      }, () -> String.format(Locale.ROOT, "requests %,d  telemetry %,d  acked %,d  failed %,d",
          requests.get(), telemetry.get(), sink.acknowledged(), sink.failed()));
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running and waits for this run to finish.
      }
    }
    out.printf("sent %,d requests and %,d telemetry samples in %.1f s; %,d acknowledged,"
        + " %,d failed%n", requests.get(), telemetry.get(), result.seconds(),
        result.acknowledged(), result.failed());
    if (sink.firstFailure() != null) {
      out.println("first send failure: " + sink.firstFailure());
    }
    out.flush();
    return result.failed() > 0 ? 1 : 0;
  }

  @Override
  public void close() {
    sink.close();
    client.close();
  }
}
