package io.chipstream.localkafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PortAllocatorTest {

  @Test
  void aSecondFreePortIsNeverTheFirst() {
    // The OS may give the port just released again; a broker's two listeners must differ.
    for (int i = 0; i < 200; i++) {
      int first = PortAllocator.freePort("127.0.0.1");
      int second = PortAllocator.freePortOtherThan("127.0.0.1", first);

      assertThat(second).isNotEqualTo(first).isPositive();
      assertThat(PortAllocator.isFree("127.0.0.1", second)).isTrue();
    }
  }
}
