package io.chipstream.producers.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MixTest {
  @Test
  void drawsByWeightAndSumsANameGivenTwice() {
    Mix<String> mix = Mix.parse("a=1, b=2,a=1", s -> s);
    Random random = new Random(7);
    long as = IntStream.range(0, 10_000).filter(i -> mix.draw(random).equals("a")).count();

    assertThat(mix.items()).containsExactly("a", "b");
    assertThat(as).isBetween(4_700L, 5_300L); // a=2 against b=2
  }

  @Test
  void aMixThatCannotBeDrawnFromIsAnErrorSayingWhy() {
    assertThatThrownBy(() -> Mix.parse("a", s -> s)).hasMessage("'a' is not name=weight");
    assertThatThrownBy(() -> Mix.parse("a=x", s -> s)).hasMessage("weight 'x' is not a number");
    assertThatThrownBy(() -> Mix.parse("a=-1", s -> s))
        .hasMessage("weight of a must be a number, 0 or more");
    // An infinite weight drew its last entry whatever the weights.
    assertThatThrownBy(() -> Mix.parse("a=1,b=Infinity", s -> s))
        .hasMessage("weight of b must be a number, 0 or more");
    assertThatThrownBy(() -> Mix.parse("a=0", s -> s)).hasMessage("a mix needs a positive weight");
  }
}
