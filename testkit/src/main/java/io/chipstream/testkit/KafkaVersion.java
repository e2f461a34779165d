package io.chipstream.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;

/** The version of the Kafka client on the classpath, read from the client jar itself. */
final class KafkaVersion {
  private static final String RESOURCE = "/kafka/kafka-version.properties";

  private KafkaVersion() {}

  static String client() {
    try (InputStream in = KafkaProducer.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("kafka-clients has no " + RESOURCE);
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
