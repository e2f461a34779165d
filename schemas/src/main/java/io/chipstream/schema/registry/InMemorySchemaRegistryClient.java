package io.chipstream.schema.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * A registry held in this JVM's memory: global ids and per-subject versions as a real registry
 * assigns them, but no compatibility checks and nothing durable. For unit tests with {@code
 * TopologyTestDriver} and for tools that run without a registry; never for a real deployment.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {
  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<Schema, Integer> idBySchema = new HashMap<>();
  private final Map<String, TreeMap<Integer, Integer>> versionsBySubject = new LinkedHashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
  private int nextId;
  /** Calls made, so tests can show a cache spared them. */
  public final AtomicInteger calls = new AtomicInteger();

  public InMemorySchemaRegistryClient() {
    this(1);
  }

  /** Ids start at {@code firstId}. */
  public InMemorySchemaRegistryClient(int firstId) {
    this.nextId = firstId;
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    calls.incrementAndGet();
    int id = idBySchema.computeIfAbsent(schema, s -> {
      byId.put(nextId, s);
      return nextId++;
    });
    TreeMap<Integer, Integer> versions = versionsBySubject.computeIfAbsent(subject,
        s -> new TreeMap<>());
    if (!versions.containsValue(id)) {
      versions.put(versions.isEmpty() ? 1 : versions.lastKey() + 1, id);
    }
    return id;
  }

  @Override
  public synchronized RegisteredSchema lookup(String subject, Schema schema) {
    calls.incrementAndGet();
    TreeMap<Integer, Integer> versions = subject(subject);
    Integer id = idBySchema.get(schema);
    return versions.entrySet().stream()
        .filter(e -> e.getValue().equals(id))
        .findFirst()
        .map(e -> new RegisteredSchema(subject, e.getKey(), id, schema.toString()))
        .orElseThrow(() -> new SchemaRegistryException.NotFoundException(404,
            ErrorCodes.SCHEMA_NOT_FOUND, "Schema not found"));
  }

  @Override
  public synchronized Schema schemaById(int id) {
    calls.incrementAndGet();
    Schema schema = byId.get(id);
    if (schema == null) {
      throw new SchemaRegistryException.NotFoundException(404, ErrorCodes.SCHEMA_NOT_FOUND,
          "Schema " + id + " not found");
    }
    return schema;
  }

  @Override
  public synchronized List<SubjectVersion> subjectVersionsById(int id) {
    List<SubjectVersion> result = new ArrayList<>();
    versionsBySubject.forEach((subject, versions) -> versions.forEach((version, vid) -> {
      if (vid == id) {
        result.add(new SubjectVersion(subject, version));
      }
    }));
    return result;
  }

  @Override
  public synchronized List<String> subjects() {
    return new ArrayList<>(versionsBySubject.keySet());
  }

  @Override
  public synchronized List<Integer> versions(String subject) {
    return new ArrayList<>(subject(subject).keySet());
  }

  @Override
  public synchronized RegisteredSchema version(String subject, int version) {
    Integer id = subject(subject).get(version);
    if (id == null) {
      throw new SchemaRegistryException.NotFoundException(404, ErrorCodes.VERSION_NOT_FOUND,
          "Version " + version + " not found");
    }
    return new RegisteredSchema(subject, version, id, byId.get(id).toString());
  }

  @Override
  public synchronized RegisteredSchema latest(String subject) {
    return version(subject, subject(subject).lastKey());
  }

  @Override
  public synchronized CompatibilityLevel globalCompatibility() {
    return globalLevel;
  }

  @Override
  public synchronized Optional<CompatibilityLevel> subjectCompatibility(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  @Override
  public synchronized CompatibilityLevel setGlobalCompatibility(CompatibilityLevel level) {
    globalLevel = level;
    return level;
  }

  @Override
  public synchronized CompatibilityLevel setSubjectCompatibility(String subject,
      CompatibilityLevel level) {
    subjectLevels.put(subject, level);
    return level;
  }

  @Override
  public boolean testCompatibility(String subject, String version, Schema schema) {
    return true;
  }

  @Override
  public synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
    return new ArrayList<>(versionsBySubject.remove(subject).keySet());
  }

  @Override
  public synchronized int deleteVersion(String subject, int version, boolean permanent) {
    subject(subject).remove(version);
    return version;
  }

  @Override
  public void close() {}

  private TreeMap<Integer, Integer> subject(String subject) {
    TreeMap<Integer, Integer> versions = versionsBySubject.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw new SchemaRegistryException.NotFoundException(404, ErrorCodes.SUBJECT_NOT_FOUND,
          "Subject '" + subject + "' not found.");
    }
    return versions;
  }
}
