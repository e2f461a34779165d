package io.chipstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.schema.registry.SchemaRegistryException;
import java.net.ConnectException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class OutageAwareProcessingExceptionHandlerTest {

  @Test
  void anUnreachableOrRefusingRegistryIsAnOutageWhereverItIsInTheCauses() {
    SchemaRegistryException unreachable =
        new SchemaRegistryException.UnreachableException("down", new ConnectException());
    assertThat(SchemaRegistryException.isOutage(new StreamsException(unreachable)))
        .isTrue();
    assertThat(SchemaRegistryException.isOutage(
        new SchemaRegistryException.AuthorizationException(401, 40101, "no"))).isTrue();
    assertThat(SchemaRegistryException.isOutage(
        new SchemaRegistryException(500, 50001, "store error"))).isTrue();
  }

  @Test
  void aRecordTheRegistryCannotBeAskedAboutFailsTheTaskInsteadOfBeingSkipped() {
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("chip-catalog", 0, 42,
        new byte[0], new byte[] {0, 0, 0, 0, 7});
    SchemaRegistryException unreachable =
        new SchemaRegistryException.UnreachableException("down", new ConnectException());
    assertThat(new OutageAwareDeserializationExceptionHandler()
        .handleError(null, record, unreachable).result())
        .isEqualTo(DeserializationExceptionHandler.Result.FAIL);
  }

  @Test
  void theCatalogsDeadLetterProducerHasTheAppsConnectionButNoTransaction() {
    Map<String, Object> streams = Map.of("application.id", "chipstream",
        "bootstrap.servers", "broker:9092", "security.protocol", "SASL_SSL",
        "producer.batch.size", 131072, "producer.transactional.id", "x",
        "consumer.max.poll.records", 10, "max.task.idle.ms", 5000L);
    Map<String, Object> producer =
        OutageAwareDeserializationExceptionHandler.producerConfig(streams);
    assertThat(producer).containsEntry("bootstrap.servers", "broker:9092")
        .containsEntry("security.protocol", "SASL_SSL").containsEntry("batch.size", 131072)
        .containsEntry("acks", "all").containsEntry("client.id", "chipstream-catalog-dead-letters")
        .doesNotContainKeys("transactional.id", "max.poll.records", "consumer.max.poll.records",
            "max.task.idle.ms", "application.id");
  }

  @Test
  void anUnknownSchemaIdOrABugIsNotAnOutage() {
    assertThat(SchemaRegistryException.isOutage(new SerializationException("bad",
        new SchemaRegistryException.NotFoundException(404, 40403, "no such id")))).isFalse();
    assertThat(SchemaRegistryException.isOutage(new NullPointerException()))
        .isFalse();
  }
}
