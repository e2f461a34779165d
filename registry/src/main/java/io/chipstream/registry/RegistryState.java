package io.chipstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.chipstream.schema.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the registry knows, rebuilt by applying the {@code _schemas} records in order. Not thread
 * safe: {@link SchemaRegistryService} guards it.
 */
final class RegistryState {
  private static final Logger log = LoggerFactory.getLogger(RegistryState.class);

  /** One version of a subject. */
  record Version(String subject, int version, int id, boolean deleted) {}

  /** A subject's versions, and the highest version it ever had (versions are never reused). */
  static final class Subject {
    final NavigableMap<Integer, Version> versions = new TreeMap<>();
    int highestVersion;
    CompatibilityLevel compatibility;

    List<Version> live() {
      return versions.values().stream().filter(v -> !v.deleted()).toList();
    }
  }

  private final Map<String, Subject> subjects = new TreeMap<>();
  private final Map<Integer, String> schemaTextById = new HashMap<>();
  private final Map<Integer, Schema> parsedById = new HashMap<>();
  private final Map<String, Integer> idByCanonical = new HashMap<>();
  private CompatibilityLevel globalCompatibility = CompatibilityLevel.BACKWARD;
  private int highestId;

  /** Applies one {@code _schemas} record; {@code value} null is a tombstone. */
  void apply(String key, String value) {
    JsonNode k = SchemasTopicRecord.parse(key);
    String type = k.path("keytype").asText();
    switch (type) {
      case SchemasTopicRecord.SCHEMA -> applySchema(k, value);
      case SchemasTopicRecord.CONFIG -> applyConfig(k, value);
      case SchemasTopicRecord.DELETE_SUBJECT -> applyDeleteSubject(value);
      default -> log.debug("ignoring _schemas record of type {}", type);
    }
  }

  private void applySchema(JsonNode key, String value) {
    String subjectName = key.path("subject").asText();
    int version = key.path("version").asInt();
    Subject subject = subjects.computeIfAbsent(subjectName, s -> new Subject());
    subject.highestVersion = Math.max(subject.highestVersion, version);
    if (value == null) {
      subject.versions.remove(version);
      return;
    }
    JsonNode v = SchemasTopicRecord.parse(value);
    int id = v.path("id").asInt();
    String text = v.path("schema").asText();
    subject.versions.put(version,
        new Version(subjectName, version, id, v.path("deleted").asBoolean(false)));
    if (!schemaTextById.containsKey(id)) {
      Schema parsed = new Schema.Parser().parse(text);
      schemaTextById.put(id, parsed.toString());
      parsedById.put(id, parsed);
      idByCanonical.putIfAbsent(parsed.toString(), id);
    }
    highestId = Math.max(highestId, id);
  }

  private void applyConfig(JsonNode key, String value) {
    Optional<CompatibilityLevel> level = value == null ? Optional.empty()
        : CompatibilityLevel.parse(SchemasTopicRecord.parse(value).path("compatibilityLevel")
            .asText());
    if (key.path("subject").isNull() || key.path("subject").isMissingNode()) {
      globalCompatibility = level.orElse(CompatibilityLevel.BACKWARD);
    } else {
      subjects.computeIfAbsent(key.path("subject").asText(), s -> new Subject())
          .compatibility = level.orElse(null);
    }
  }

  private void applyDeleteSubject(String value) {
    if (value == null) {
      return;
    }
    JsonNode v = SchemasTopicRecord.parse(value);
    Subject subject = subjects.get(v.path("subject").asText());
    if (subject == null) {
      return;
    }
    int upTo = v.path("version").asInt();
    subject.versions.replaceAll((version, entry) -> version <= upTo
        ? new Version(entry.subject(), version, entry.id(), true) : entry);
  }

  Optional<Subject> subject(String name) {
    return Optional.ofNullable(subjects.get(name));
  }

  /** Subject names with at least one version (live, or soft-deleted too if asked). */
  List<String> subjectNames(boolean includeDeleted) {
    List<String> names = new ArrayList<>();
    subjects.forEach((name, subject) -> {
      if (includeDeleted ? !subject.versions.isEmpty() : !subject.live().isEmpty()) {
        names.add(name);
      }
    });
    return names;
  }

  Optional<String> schemaText(int id) {
    return Optional.ofNullable(schemaTextById.get(id));
  }

  Schema schema(int id) {
    return parsedById.get(id);
  }

  Optional<Integer> idOf(String canonical) {
    return Optional.ofNullable(idByCanonical.get(canonical));
  }

  /** Every subject version that refers to schema {@code id}. */
  List<Version> versionsOf(int id, boolean includeDeleted) {
    List<Version> result = new ArrayList<>();
    for (Subject subject : subjects.values()) {
      for (Version version : subject.versions.values()) {
        if (version.id() == id && (includeDeleted || !version.deleted())) {
          result.add(version);
        }
      }
    }
    return result;
  }

  int nextId() {
    return highestId + 1;
  }

  CompatibilityLevel globalCompatibility() {
    return globalCompatibility;
  }

  CompatibilityLevel effectiveCompatibility(String subject) {
    return subject(subject).map(s -> s.compatibility).orElse(null) != null
        ? subjects.get(subject).compatibility : globalCompatibility;
  }
}
