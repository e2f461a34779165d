package io.chipstream.schema.serde;

import java.util.function.Supplier;

/**
 * A value per thread, like {@link ThreadLocal}, with the last thread's value at hand: a Kafka
 * Streams thread serialises record after record, and its thread-local map (crowded by the
 * clients' own) made every lookup a probe, 1.4% of the stream thread in a profile.
 *
 * @param <T> the value type
 */
final class PerThread<T> {
  /** Immutable, so a thread that reads the reference sees both fields as written. */
  private record Last<T>(Thread owner, T value) {}

  private final ThreadLocal<T> values;
  private Last<T> last;

  PerThread(Supplier<? extends T> initial) {
    this.values = ThreadLocal.withInitial(initial);
  }

  T get() {
    Thread current = Thread.currentThread();
    Last<T> seen = last;
    if (seen != null && seen.owner() == current) {
      return seen.value();
    }
    T value = values.get();
    last = new Last<>(current, value);
    return value;
  }

  void set(T value) {
    values.set(value);
    last = new Last<>(Thread.currentThread(), value);
  }
}
