package io.chipstream.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PerThreadTest {

  @Test
  void eachThreadKeepsItsOwnValueWhenTheyTakeTurns() throws Exception {
    AtomicInteger made = new AtomicInteger();
    PerThread<Object> values = new PerThread<>(() -> "value-" + made.incrementAndGet());
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Object mine = values.get();
      for (int i = 0; i < 5; i++) {
        Future<Object> theirs = other.submit(values::get);
        assertThat(theirs.get()).isNotEqualTo(mine);
        assertThat(values.get()).as("after the other thread's turn").isSameAs(mine);
      }
      assertThat(made).as("one value per thread").hasValue(2);

      values.set("replaced");
      assertThat(values.get()).isEqualTo("replaced");
      assertThat(other.submit(values::get).get()).isEqualTo("value-2");
    } finally {
      other.shutdownNow();
    }
  }
}
