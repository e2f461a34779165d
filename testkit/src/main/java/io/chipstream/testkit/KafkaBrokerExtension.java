package io.chipstream.testkit;

import io.chipstream.localkafka.LocalKafkaBroker;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Gives a test a {@link TestKafka} parameter: a real broker, started once per test JVM (so once per
 * module's run) and stopped when the run ends. See {@link BrokerSelection} for which broker.
 */
public final class KafkaBrokerExtension implements ParameterResolver {
  private static final Logger log = LoggerFactory.getLogger(KafkaBrokerExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestKafka.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(SharedBroker.class, k -> SharedBroker.start(), SharedBroker.class)
        .kafka();
  }

  /** The run's one broker; the root store closes it when the run ends. */
  static final class SharedBroker implements AutoCloseable {
    /** Brokers started in this JVM: one per module run is the point of sharing. */
    static final java.util.concurrent.atomic.AtomicInteger STARTS =
        new java.util.concurrent.atomic.AtomicInteger();
    private final TestKafka kafka;
    private final Runnable stop;

    private SharedBroker(TestKafka kafka, Runnable stop) {
      this.kafka = kafka;
      this.stop = stop;
    }

    static SharedBroker start() {
      BrokerSelection selection =
          BrokerSelection.select(BrokerSelection.requested(), DockerProbe::dockerAvailable);
      log.info("Integration tests use {} ({})", selection.kind(), selection.reason());
      STARTS.incrementAndGet();
      if (selection.kind() == BrokerKind.TESTCONTAINERS) {
        // The image is pinned to the client version this build uses.
        KafkaContainer container = new KafkaContainer(
            DockerImageName.parse("apache/kafka:" + KafkaVersion.client()));
        container.start();
        return new SharedBroker(
            new TestKafka(container.getBootstrapServers(), selection.kind()), container::stop);
      }
      LocalKafkaBroker broker = LocalKafkaBroker.builder().build().start();
      return new SharedBroker(
          new TestKafka(broker.bootstrapServers(), selection.kind()), broker::close);
    }

    TestKafka kafka() {
      return kafka;
    }

    @Override
    public void close() {
      stop.run();
    }
  }
}
