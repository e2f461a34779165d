package io.chipstream.testkit;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The real broker a test runs against, shared by every integration test of a module's run. Each
 * test makes its own topics and application ids with {@link #uniqueName(String)}, so tests never
 * see each other's records.
 */
public final class TestKafka {
  private final String bootstrapServers;
  private final BrokerKind kind;

  TestKafka(String bootstrapServers, BrokerKind kind) {
    this.bootstrapServers = bootstrapServers;
    this.kind = kind;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public BrokerKind kind() {
    return kind;
  }

  /** A name no other test of this run uses, e.g. for a topic, group or application id. */
  public String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Client settings that point at this broker, to add to. */
  public Map<String, Object> clientConfig() {
    return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
  }

  /** Creates topics with the given partition count and waits until they exist. */
  public void createTopics(int partitions, String... topics) {
    List<NewTopic> newTopics = java.util.Arrays.stream(topics)
        .map(t -> new NewTopic(t, partitions, (short) 1))
        .toList();
    try (Admin admin = Admin.create(clientConfig())) {
      admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not create topics " + List.of(topics), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topics", e);
    }
  }
}
