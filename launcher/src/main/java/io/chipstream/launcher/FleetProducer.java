package io.chipstream.launcher;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.classify.RoutingPolicy;
import io.chipstream.producers.cli.EventSink;
import io.chipstream.producers.fleet.FleetConfig;
import io.chipstream.producers.fleet.FleetSimulator;
import io.chipstream.producers.trace.TokenSizes;
import io.chipstream.schema.registry.SchemaRegistryClient;
import io.chipstream.schema.serde.AvroSerializer;
import io.chipstream.schema.topics.ChipstreamTopics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.specific.SpecificRecord;

/** The simulated fleet of {@code up}: requests at a steady rate, and their telemetry. */
final class FleetProducer implements AutoCloseable {
  private final EventSink sink;
  private final FleetSimulator simulator;
  private final ChipstreamTopics topics;
  private final double rate;
  private final Thread thread;
  private final AtomicLong requests = new AtomicLong();
  private volatile boolean running = true;

  FleetProducer(Map<String, Object> kafkaConfig, Map<String, Object> serdeConfig,
      SchemaRegistryClient registry, ChipstreamTopics topics, List<ChipCapability> catalog,
      RoutingPolicy policy, double rate) {
    AvroSerializer<SpecificRecord> values = new AvroSerializer<>(registry);
    values.configure(serdeConfig, false);
    this.sink = new EventSink(kafkaConfig, values);
    this.simulator = new FleetSimulator(FleetConfig.defaults(System.currentTimeMillis()),
        catalog, TokenSizes.builtIn(), policy, Instant.now());
    this.topics = topics;
    this.rate = rate;
    this.thread = new Thread(this::produce, "chipstream-fleet");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void produce() {
    try {
      produceUntilStopped();
    } catch (RuntimeException e) {
      if (running) {
        System.err.println("chipstream: the simulated fleet stopped: " + e);
      }
      // Else the stop closed the producer under a send that was waiting for buffer space (a rate
      // the broker could not keep up with): what was sent is flushed and counted by the close.
    }
  }

  private void produceUntilStopped() {
    long started = System.nanoTime();
    long sent = 0;
    while (running) {
      long wait = started + (long) (sent * 1e9 / rate) - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
        continue;
      }
      Instant now = Instant.now();
      InferenceRequest request = simulator.nextRequest(now);
      sink.send(topics.requests().name(), request.getRequestId(), request, now.toEpochMilli());
      send(simulator.telemetryDue(now), now);
      sent++;
      requests.incrementAndGet();
    }
    // The last interval, however short: the requests sent in it are in the telemetry too.
    Instant end = Instant.now();
    send(simulator.telemetryAtEnd(end), end);
  }

  private void send(List<TelemetrySample> samples, Instant now) {
    for (TelemetrySample sample : samples) {
      sink.send(topics.telemetry().name(), sample.getSourceId(), sample, now.toEpochMilli());
    }
  }

  long requests() {
    return requests.get();
  }

  long failed() {
    return sink.failed();
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sink.close(); // flushes: everything sent is acknowledged or counted as failed
  }
}
