package io.chipstream.producers.cli;

import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.classify.RoutingPolicy;
import io.chipstream.producers.fleet.FleetConfig;
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
  /** Requests made and not sent: the load {@code produce telemetry} reports on. */
  final AtomicLong simulated = new AtomicLong();

  public FleetRun(ConnectionOptions connection, RunOptions options, PrintWriter out) {
    this.out = out;
    // A bad flag or policy file fails before any connection.
    double rate = options.rate();
    long count = options.count();
    Duration duration = options.duration();
    FleetConfig fleet = options.fleet();
    RoutingPolicy policy = options.policy(connection);
    this.client = connection.registryClient();
    this.topics = connection.topics(client);
    TopicAdmin.ensure(connection.kafkaConfig(), connection.topicNames(), 3);
    AvroSerializer<SpecificRecord> values = new AvroSerializer<>(client);
    values.configure(connection.serdeConfig(), false);
    this.sink = new EventSink(connection.kafkaConfig(), values);
    this.seed = options.seed();
    this.simulator = new FleetSimulator(fleet, options.catalogRows(),
        TokenSizes.builtIn(), policy, Instant.now());
    this.loop = new ProduceLoop(rate, count, duration, sink,
        new Progress(System.out, System.console() != null, count));
  }

  public FleetSimulator simulator() {
    return simulator;
  }

  public void send(InferenceRequest request) {
    sink.send(topics.requests().name(), request.getRequestId(), request,
        request.getTimestamp().toEpochMilli());
    requests.incrementAndGet();
  }

  /** Makes the next request and does not send it: only the telemetry reports its load. */
  public void simulateRequest(Instant now) {
    simulator.nextRequest(now);
    simulated.incrementAndGet();
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
      }, () -> String.format(Locale.ROOT, "%s %,d  telemetry %,d  acked %,d  failed %,d",
          simulatedOnly() ? "simulated requests" : "requests",
          simulatedOnly() ? simulated.get() : requests.get(), telemetry.get(),
          sink.acknowledged(), sink.failed()));
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running and waits for this run to finish.
      }
    }
    if (simulatedOnly()) {
      out.printf("sent %,d telemetry samples for %,d simulated requests in %.1f s; %,d"
          + " acknowledged, %,d failed%n", telemetry.get(), simulated.get(), result.seconds(),
          result.acknowledged(), result.failed());
    } else {
      out.printf("sent %,d requests and %,d telemetry samples in %.1f s; %,d acknowledged,"
          + " %,d failed%n", requests.get(), telemetry.get(), result.seconds(),
          result.acknowledged(), result.failed());
    }
    if (sink.firstFailure() != null) {
      out.println("first send failure: " + sink.firstFailure());
    }
    out.flush();
    return result.failed() > 0 ? 1 : 0;
  }

  /** Whether this run's requests are simulated, not sent (a run does one or the other). */
  private boolean simulatedOnly() {
    return simulated.get() > 0 && requests.get() == 0;
  }

  @Override
  public void close() {
    sink.close();
    client.close();
  }
}
