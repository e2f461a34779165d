package io.chipstream.producers.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a producer at a steady rate until its count, its duration or its input is exhausted, or
 * it is stopped (Ctrl-C): then flushes, so everything sent is acknowledged, and reports.
 */
public final class ProduceLoop {
  /** Emits the events of one step at {@code now}; returns how many, or -1 when out of input. */
  @FunctionalInterface
  public interface Step {
    int emit(Instant now);
  }

  /**
   * How a run ended.
   *
   * @param sent events handed to the producer
   * @param acknowledged events the broker acknowledged
   * @param failed events that failed
   * @param seconds how long it ran
   */
  public record Result(long sent, long acknowledged, long failed, double seconds) {}

  private final double rate;
  private final long count;
  private final Duration duration;
  private final EventSink sink;
  private final Progress progress;
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean stopped;

  /**
   * @param rate events per second; 0 or less for as fast as possible
   * @param count events to send; -1 for no limit
   * @param duration how long to run; null for no limit
   */
  public ProduceLoop(double rate, long count, Duration duration, EventSink sink,
      Progress progress) {
    this.rate = rate;
    this.count = count;
    this.duration = duration;
    this.sink = sink;
    this.progress = progress;
  }

  public Result run(Step step, Supplier<String> detail) {
    return run(step, now -> { }, detail);
  }

  /**
   * Runs, and when the run ends for any reason but a failed send, calls {@code atEnd} to send
   * its last events (not counted against the count) before the flush.
   */
  public Result run(Step step, Consumer<Instant> atEnd, Supplier<String> detail) {
    long started = System.nanoTime();
    long deadline = duration == null ? Long.MAX_VALUE : started + duration.toNanos();
    long sent = 0;
    try {
      while (!stopped && (count < 0 || sent < count) && System.nanoTime() < deadline) {
        if (sink.failed() > 0) {
          break;
        }
        if (rate > 0) {
          long due = started + (long) (sent * 1e9 / rate);
          long wait = Math.min(due, deadline) - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
            if (stopped || System.nanoTime() >= deadline) {
              break;
            }
          }
        }
        int emitted = step.emit(Instant.now());
        if (emitted < 0) {
          break;
        }
        sent += emitted;
        progress.update(sent, detail);
      }
      if (sink.failed() == 0) {
        atEnd.accept(Instant.now());
      }
      sink.flush();
      progress.finish(sent, detail.get());
      return new Result(sent, sink.acknowledged(), sink.failed(),
          (System.nanoTime() - started) / 1e9);
    } finally {
      done.countDown();
    }
  }

  /** Asks the loop to stop after the current event, and waits for it to flush. */
  public void stopAndWait(Duration timeout) {
    stopped = true;
    try {
      done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
