package io.chipstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.schema.topics.TopicAdmin;
import io.chipstream.schema.topics.TopicNames;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code consume} against the real test broker: a topic that is not there is an error. */
@WithKafka
class ConsumeCommandIT {
  private final InProcessCli cli = new InProcessCli();
  private TestKafka kafka;
  private String prefix;

  @BeforeEach
  void start(TestKafka kafka) {
    this.kafka = kafka;
    prefix = kafka.uniqueName("c") + ".";
  }

  private int consume(String topic, String... more) {
    String[] args = new String[6 + more.length];
    args[0] = "consume";
    args[1] = topic;
    args[2] = "--bootstrap-servers";
    args[3] = kafka.bootstrapServers();
    args[4] = "--topic-prefix";
    args[5] = prefix;
    System.arraycopy(more, 0, args, 6, more.length);
    return cli.run(args);
  }

  @Test
  void aMissingTopicIsAnErrorNamingItAndTheAddress() {
    assertThat(consume(prefix + "routing-decison", "--timeout", "1s")).isEqualTo(2);

    assertThat(cli.err()).contains("topic '" + prefix + "routing-decison' does not exist at "
        + kafka.bootstrapServers());
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void anEmptyTopicThatExistsEndsQuietlyAtItsTimeout() {
    TopicAdmin.ensure(kafka.clientConfig(), TopicNames.withPrefix(prefix), 1);

    assertThat(consume(prefix + "routing-decisions", "--from-beginning", "--timeout", "1s"))
        .isZero();
    assertThat(cli.err()).isEmpty();
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void aConsumerThatHasReadNothingSaysSoOnStderrOnce() {
    TopicAdmin.ensure(kafka.clientConfig(), TopicNames.withPrefix(prefix), 1);

    assertThat(consume(prefix + "routing-decisions", "--timeout",
        (ConsumeCommand.SAY_WAITING_AFTER.toSeconds() + 3) + "s")).isZero();
    assertThat(cli.err().lines()).singleElement().asString().isEqualTo("chipstream: no records on "
        + prefix + "routing-decisions yet (new records only; --from-beginning reads the oldest);"
        + " waiting, Ctrl-C stops");
    assertThat(cli.out()).isEmpty();
  }
}
