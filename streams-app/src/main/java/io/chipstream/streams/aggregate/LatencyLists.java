package io.chipstream.streams.aggregate;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.LongFunction;

/**
 * The latency sketch's two parallel lists (sorted bucket numbers, their counts) on a primitive
 * array. An aggregate's {@code latencyBuckets} and {@code latencyCounts} are these while a
 * partial sum is being added to, so adding a decision searches a {@code long[]} and increments
 * a {@code long} in place; the boxed lists' search and the {@code Long} per increment showed in
 * the profile. To Avro, and to anything else, they are ordinary lists of their element type.
 */
final class LatencyLists {
  private LatencyLists() {}

  /** An empty list of bucket numbers. */
  static Numbers<Integer> buckets() {
    return new Numbers<>(value -> (int) value);
  }

  /** An empty list of counts. */
  static Numbers<Long> counts() {
    return new Numbers<>(value -> value);
  }

  /** {@code buckets} as {@link Numbers}: itself if it is one, else a copy. */
  static Numbers<Integer> buckets(List<Integer> buckets) {
    if (buckets instanceof Numbers<Integer> own) {
      return own; // the case of every record: nothing allocated
    }
    return copy(buckets, buckets());
  }

  /** {@code counts} as {@link Numbers}: itself if it is one, else a copy. */
  static Numbers<Long> counts(List<Long> counts) {
    if (counts instanceof Numbers<Long> own) {
      return own;
    }
    return copy(counts, counts());
  }

  private static <E extends Number> Numbers<E> copy(List<E> list, Numbers<E> into) {
    for (E value : list) {
      into.insert(into.size(), value.longValue());
    }
    return into;
  }

  /** A growable list of numbers kept as {@code long}s, boxed only when read as a list. */
  static final class Numbers<E extends Number> extends AbstractList<E> implements RandomAccess {
    private final LongFunction<E> box;
    private long[] values = new long[8];
    private int size;

    private Numbers(LongFunction<E> box) {
      this.box = box;
    }

    long getLong(int index) {
      Objects.checkIndex(index, size);
      return values[index];
    }

    /** As {@link Arrays#binarySearch(long[], long)} over the list's values. */
    int binarySearch(long value) {
      return Arrays.binarySearch(values, 0, size, value);
    }

    void addTo(int index, long amount) {
      Objects.checkIndex(index, size);
      values[index] += amount;
    }

    void insert(int index, long value) {
      Objects.checkIndex(index, size + 1);
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      System.arraycopy(values, index, values, index + 1, size - index);
      values[index] = value;
      size++;
      modCount++;
    }

    @Override
    public E get(int index) {
      return box.apply(getLong(index));
    }

    @Override
    public E set(int index, E value) {
      E old = get(index);
      values[index] = value.longValue();
      return old;
    }

    @Override
    public void add(int index, E value) {
      insert(index, value.longValue());
    }

    @Override
    public E remove(int index) {
      E old = get(index);
      System.arraycopy(values, index + 1, values, index, size - index - 1);
      size--;
      modCount++;
      return old;
    }

    @Override
    public int size() {
      return size;
    }
  }
}
