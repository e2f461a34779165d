package io.chipstream.schema.serde;

import io.chipstream.schema.registry.CompatibilityLevel;
import io.chipstream.schema.registry.RegisteredSchema;
import io.chipstream.schema.registry.SchemaRegistryClient;
import io.chipstream.schema.registry.SchemaRegistryException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * A unit-test registry: ids from a given start, in memory, counting calls. The serde's behaviour
 * against the real registry over HTTP is covered by the registry module's integration tests.
 */
final class InMemoryRegistryClient implements SchemaRegistryClient {
  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<String, Map<Schema, Integer>> bySubject = new HashMap<>();
  private int nextId;
  final AtomicInteger calls = new AtomicInteger();

  InMemoryRegistryClient(int firstId) {
    this.nextId = firstId;
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    calls.incrementAndGet();
    Integer id = byId.entrySet().stream().filter(e -> e.getValue().equals(schema))
        .map(Map.Entry::getKey).findFirst().orElse(null);
    if (id == null) {
      id = nextId++;
      byId.put(id, schema);
    }
    bySubject.computeIfAbsent(subject, s -> new HashMap<>()).put(schema, id);
    return id;
  }

  @Override
  public synchronized RegisteredSchema lookup(String subject, Schema schema) {
    calls.incrementAndGet();
    Integer id = bySubject.getOrDefault(subject, Map.of()).get(schema);
    if (id == null) {
      throw new SchemaRegistryException.NotFoundException(404, 40403, "Schema not found");
    }
    return new RegisteredSchema(subject, 1, id, schema.toString());
  }

  @Override
  public synchronized Schema schemaById(int id) {
    calls.incrementAndGet();
    Schema schema = byId.get(id);
    if (schema == null) {
      throw new SchemaRegistryException.NotFoundException(404, 40403, "Schema " + id
          + " not found");
    }
    return schema;
  }

  @Override
  public List<SubjectVersion> subjectVersionsById(int id) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<String> subjects() {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<Integer> versions(String subject) {
    throw new UnsupportedOperationException();
  }

  @Override
  public RegisteredSchema version(String subject, int version) {
    throw new UnsupportedOperationException();
  }

  @Override
  public RegisteredSchema latest(String subject) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompatibilityLevel globalCompatibility() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<CompatibilityLevel> subjectCompatibility(String subject) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompatibilityLevel setGlobalCompatibility(CompatibilityLevel level) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompatibilityLevel setSubjectCompatibility(String subject, CompatibilityLevel level) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean testCompatibility(String subject, String version, Schema schema) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<Integer> deleteSubject(String subject, boolean permanent) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int deleteVersion(String subject, int version, boolean permanent) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
