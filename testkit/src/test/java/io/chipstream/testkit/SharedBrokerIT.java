package io.chipstream.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A test produces and consumes through the shared broker, whichever kind was chosen. */
@WithKafka
class SharedBrokerIT {

  @Test
  void producesAndConsumesThroughTheBroker(TestKafka kafka) throws Exception {
    String topic = kafka.uniqueName("roundtrip");
    kafka.createTopics(3, topic);

    Map<String, Object> producerConfig = new HashMap<>(kafka.clientConfig());
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 30; i++) {
        producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get();
      }
    }

    Map<String, Object> consumerConfig = new HashMap<>(kafka.clientConfig());
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.uniqueName("group"));
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
        return values.size() >= 30;
      });
      assertThat(consumer.poll(Duration.ofMillis(500))).as("no record beyond those sent").isEmpty();
    }
    assertThat(values).hasSize(30).doesNotHaveDuplicates();
  }

  @Test
  void oneBrokerServesTheWholeRun(TestKafka kafka) {
    assertThat(KafkaBrokerExtension.SharedBroker.STARTS).hasValue(1);
  }
}
