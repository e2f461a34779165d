package io.chipstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
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

  @Test
  void aFailedGlobalThreadStopsTheAppSinceItCannotBeReplaced() {
    Thread global = new Thread(() -> { }, "app-1a2b-GlobalStreamThread");
    assertThat(ChipstreamStreams.threadFailed(global, new IllegalStateException("test")))
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
  }

  @Test
  void aFailedStreamThreadIsReplaced() {
    Thread stream = new Thread(() -> { }, "app-1a2b-StreamThread-1");
    assertThat(ChipstreamStreams.threadFailed(stream, new IllegalStateException("test")))
        .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
  }

  private static Properties properties(String key, String value) {
    Properties props = new Properties();
    props.setProperty(key, value);
    return props;
  }
}
