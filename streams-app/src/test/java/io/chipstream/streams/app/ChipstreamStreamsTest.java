package io.chipstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class ChipstreamStreamsTest {

  @Test
  void staticMembershipIsSeenPlainOrPrefixed() {
    assertThat(ChipstreamStreams.staticMember(properties("group.instance.id", "node-1")))
        .isTrue();
    assertThat(ChipstreamStreams.staticMember(
        properties("main.consumer.group.instance.id", "node-1"))).isTrue();
    assertThat(ChipstreamStreams.staticMember(properties("group.id", "x"))).isFalse();
    assertThat(ChipstreamStreams.staticMember(new Properties())).isFalse();
  }

  private static Properties properties(String key, String value) {
    Properties props = new Properties();
    props.setProperty(key, value);
    return props;
  }
}
