package io.chipstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.avro.InferenceRequest;
import io.chipstream.avro.RoutingDecision;
import io.chipstream.avro.TelemetrySample;
import io.chipstream.producers.cli.EventSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Feeds the same requests (and a telemetry sample every tenth request) to one or more pipelines
 * through the project's producer, at a steady rate, on a thread of its own, so that faults can
 * be injected while input flows. Request {@code i} has event time {@code base + i * spacing}.
 */
final class Feed implements AutoCloseable {
  private final List<Pipeline> pipelines;
  private final List<EventSink> sinks = new ArrayList<>();
  private final int requests;
  private final Instant base;
  private final Duration spacing;
  private final double perSecond;
  private final AtomicInteger sent = new AtomicInteger();
  private final Thread thread;
  private volatile RuntimeException failure;

  Feed(List<Pipeline> pipelines, int requests, Instant base, Duration spacing,
      double perSecond) {
    this.pipelines = pipelines;
    this.requests = requests;
    this.base = base;
    this.spacing = spacing;
    this.perSecond = perSecond;
    pipelines.forEach(p -> sinks.add(p.sink()));
    this.thread = new Thread(this::run, "feed");
  }

  Feed start() {
    thread.start();
    return this;
  }

  /** Requests handed to the producers so far. */
  int sent() {
    return sent.get();
  }

  void awaitSent(int count) {
    while (sent.get() < count && thread.isAlive()) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  /** Waits until every request is sent and acknowledged; fails if any send failed. */
  void awaitDone(Duration timeout) throws InterruptedException {
    thread.join(timeout.toMillis());
    if (thread.isAlive()) {
      throw new AssertionError("the feed did not finish within " + timeout + ": " + sent()
          + " of " + requests + " sent");
    }
    if (failure != null) {
      throw failure;
    }
    for (EventSink sink : sinks) {
      if (sink.failed() > 0) {
        throw new AssertionError(sink.failed() + " sends failed", sink.firstFailure());
      }
      if (sink.acknowledged() != requests + requests / 10) {
        throw new AssertionError("acknowledged " + sink.acknowledged() + " of "
            + (requests + requests / 10));
      }
    }
  }

  Instant time(int i) {
    return base.plus(spacing.multipliedBy(i));
  }

  /** Prompt plus output tokens of all requests. */
  long tokens() {
    long tokens = 0;
    for (int i = 0; i < requests; i++) {
      InferenceRequest request = Records.request("r", i, time(i));
      tokens += request.getPromptTokens() + request.getMaxOutputTokens();
    }
    return tokens;
  }

  /**
   * Waits until {@code app}'s window store counts every request of the last two windows. Input
   * consumed is not yet input in the windows: each input task sends its partial sums on every
   * 100 ms, and the far later records of {@link #closeWindows} must not overtake another task's
   * sums, or they would be late.
   */
  void awaitInWindows(AppProcess app) {
    Instant to = lastWindowEnd();
    Instant from = to.minus(Duration.ofMinutes(2));
    long expected = java.util.stream.IntStream.range(0, requests)
        .filter(i -> !time(i).isBefore(from)).count();
    org.awaitility.Awaitility.await("the last two windows hold their " + expected + " requests")
        .atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> app.windowRequests(from, to) == expected);
  }

  /**
   * Telemetry far past the last window (two samples, so every stage downstream sees time move):
   * send it only once all input is processed, or records still in flight on another partition
   * could become late.
   */
  void closeWindows(Duration after) {
    for (int minutes : new int[] {0, 20}) {
      Instant at = time(requests).plus(after).plus(Duration.ofMinutes(minutes));
      TelemetrySample sample = Records.sample("flush-node", "xeon-8480", at, 300, 1000);
      for (int p = 0; p < pipelines.size(); p++) {
        sinks.get(p).send(pipelines.get(p).names.telemetry(), sample.getSourceId(), sample,
            at.toEpochMilli());
        sinks.get(p).flush();
      }
    }
  }

  /**
   * Waits for the feed and for {@code applicationId} to consume all of it, closes the windows,
   * then checks that each request has exactly one decision and the final windows count every
   * request and token exactly once.
   */
  void assertProcessedExactlyOnce(Pipeline pipeline, String applicationId, AppProcess app)
      throws Exception {
    awaitDone(Duration.ofMinutes(3));
    pipeline.awaitInputConsumed(applicationId, Duration.ofMinutes(3));
    awaitInWindows(app);
    closeWindows(Duration.ofMinutes(15));
    List<ConsumerRecord<String, RoutingDecision>> decisions = pipeline.readDecisions(requests,
        Duration.ofMinutes(2));
    assertThat(decisions).extracting(ConsumerRecord::key).as("one decision per request")
        .containsExactlyInAnyOrderElementsOf(requestIds());
    Map<String, ChipFamilyEfficiency> finals = pipeline.readFinals(lastWindowEnd(), requests,
        Duration.ofMinutes(2));
    assertThat(finals.values().stream().mapToLong(ChipFamilyEfficiency::getRequests).sum())
        .as("requests in the final windows").isEqualTo(requests);
    assertThat(finals.values().stream()
        .mapToLong(e -> e.getPromptTokens() + e.getOutputTokens()).sum())
        .as("tokens in the final windows").isEqualTo(tokens());
  }

  List<String> requestIds() {
    return IntStream.range(0, requests).mapToObj(i -> "r-" + i).toList();
  }

  /** The end of the last window with a request in it (windows of one minute). */
  Instant lastWindowEnd() {
    return time(requests).truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
  }

  private void run() {
    try {
      long started = System.nanoTime();
      for (int i = 0; i < requests; i++) {
        long due = started + (long) (i * 1e9 / perSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        InferenceRequest request = Records.request("r", i, time(i));
        TelemetrySample sample = i % 10 == 0 ? Records.serverSample(i / 10, time(i)) : null;
        for (int p = 0; p < pipelines.size(); p++) {
          Pipeline pipeline = pipelines.get(p);
          sinks.get(p).send(pipeline.names.requests(), request.getRequestId(), request,
              time(i).toEpochMilli());
          if (sample != null) {
            sinks.get(p).send(pipeline.names.telemetry(), sample.getSourceId(), sample,
                time(i).toEpochMilli());
          }
        }
        sent.incrementAndGet();
      }
      sinks.forEach(EventSink::flush);
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  @Override
  public void close() {
    thread.interrupt();
    sinks.forEach(EventSink::close);
  }
}
