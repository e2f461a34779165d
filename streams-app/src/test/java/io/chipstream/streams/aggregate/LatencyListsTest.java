package io.chipstream.streams.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyListsTest {

  @Test
  void sortedInsertsMatchAnArrayListPastEveryGrowth() {
    LatencyLists.Numbers<Integer> buckets = LatencyLists.buckets();
    LatencyLists.Numbers<Long> counts = LatencyLists.counts();
    List<Integer> expectedBuckets = new ArrayList<>();
    List<Long> expectedCounts = new ArrayList<>();
    Random random = new Random(3);
    for (int i = 0; i < 500; i++) {
      int bucket = random.nextInt(300) - 50;
      int at = buckets.binarySearch(bucket);
      assertThat(at).isEqualTo(Collections.binarySearch(expectedBuckets, bucket));
      if (at >= 0) {
        counts.addTo(at, 2);
        expectedCounts.set(at, expectedCounts.get(at) + 2);
      } else {
        buckets.insert(-at - 1, bucket);
        counts.insert(-at - 1, 1);
        expectedBuckets.add(-at - 1, bucket);
        expectedCounts.add(-at - 1, 1L);
      }
    }
    assertThat(buckets).isEqualTo(expectedBuckets).hasSameHashCodeAs(expectedBuckets);
    assertThat(counts).isEqualTo(expectedCounts).hasSameHashCodeAs(expectedCounts);
    assertThat(buckets.get(0)).isInstanceOf(Integer.class);
    assertThat(counts.get(0)).isInstanceOf(Long.class);
  }

  @Test
  void theyAreOrdinaryListsToEveryoneElse() {
    LatencyLists.Numbers<Long> counts = LatencyLists.counts(List.of(5L, 6L, 7L));
    assertThat(counts.set(1, 60L)).isEqualTo(6L);
    assertThat(counts.remove(0)).isEqualTo(5L);
    assertThat(counts).containsExactly(60L, 7L);
    counts.clear(); // as Avro does when it decodes into a reused list
    assertThat(counts).isEmpty();
    counts.add(9L);
    assertThat(counts).containsExactly(9L);
    assertThat(LatencyLists.counts(counts)).as("already one: not copied").isSameAs(counts);

    LatencyLists.Numbers<Integer> buckets = LatencyLists.buckets(List.of(1, 2));
    assertThatThrownBy(() -> buckets.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> buckets.insert(3, 4)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> buckets.remove(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(buckets).containsExactly(1, 2);
  }
}
