package io.chipstream.registry;

import io.chipstream.registry.RegistryState.Subject;
import io.chipstream.registry.RegistryState.Version;
import io.chipstream.schema.registry.CompatibilityLevel;
import io.chipstream.schema.registry.ErrorCodes;
import io.chipstream.schema.registry.RegisteredSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Confluent Schema Registry semantics over a {@link RegistryState} made durable by a {@link
 * KafkaSchemaLog}: global ids (one schema, one id, whatever the subject), versions from 1 that are
 * never reused, compatibility checked on registration, soft then permanent deletes.
 *
 * <p>Writes are serialised by one lock and reach the log before the state changes, so concurrent
 * registrations of one schema get one id, and nothing is acknowledged that a restart would lose.
 * One registry instance writes a given topic (no leader election).
 */
final class SchemaRegistryService {
  private final RegistryState state = new RegistryState();
  private final KafkaSchemaLog log;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  SchemaRegistryService(KafkaSchemaLog log) {
    this.log = log;
  }

  /** Rebuilds the state from the log; returns how many records were read. */
  long load() {
    return write(() -> log.replay(state::apply));
  }

  int register(String subject, String schemaText) {
    Schema schema = parse(schemaText);
    String canonical = schema.toString();
    return write(() -> {
      Optional<Subject> existing = state.subject(subject);
      if (existing.isPresent()) {
        for (Version version : existing.get().live()) {
          if (state.schemaText(version.id()).orElse("").equals(canonical)) {
            return version.id();
          }
        }
        List<String> problems = AvroCompatibility.violations(
            state.effectiveCompatibility(subject), schema, liveSchemas(existing.get()));
        if (!problems.isEmpty()) {
          throw new RegistryError(409, ErrorCodes.INCOMPATIBLE_SCHEMA,
              "Schema being registered is incompatible with an earlier schema for subject \""
                  + subject + "\", details: " + problems);
        }
      }
      int id = state.idOf(canonical).orElseGet(state::nextId);
      int version = existing.map(s -> s.highestVersion).orElse(0) + 1;
      append(SchemasTopicRecord.schemaKey(subject, version),
          SchemasTopicRecord.schemaValue(subject, version, id, canonical, false));
      return id;
    });
  }

  RegisteredSchema lookup(String subject, String schemaText, boolean includeDeleted) {
    Schema schema = parse(schemaText);
    return read(() -> {
      Subject s = liveSubject(subject, includeDeleted);
      for (Version version : s.versions.values()) {
        if ((includeDeleted || !version.deleted())
            && state.schema(version.id()).toString().equals(schema.toString())) {
          return registered(version);
        }
      }
      throw RegistryError.schemaNotFound("Schema not found");
    });
  }

  String schemaById(int id) {
    return read(() -> {
      if (state.versionsOf(id, true).isEmpty()) {
        throw RegistryError.schemaNotFound("Schema " + id + " not found");
      }
      return state.schemaText(id).orElseThrow();
    });
  }

  List<Version> versionsOfId(int id, boolean includeDeleted) {
    return read(() -> {
      List<Version> versions = state.versionsOf(id, includeDeleted);
      if (versions.isEmpty()) {
        throw RegistryError.schemaNotFound("Schema " + id + " not found");
      }
      return versions;
    });
  }

  List<String> subjects(boolean includeDeleted) {
    return read(() -> state.subjectNames(includeDeleted));
  }

  List<Integer> versions(String subject, boolean includeDeleted) {
    return read(() -> liveSubject(subject, includeDeleted).versions.values().stream()
        .filter(v -> includeDeleted || !v.deleted())
        .map(Version::version)
        .toList());
  }

  RegisteredSchema version(String subject, String version, boolean includeDeleted) {
    return read(() -> registered(findVersion(subject, version, includeDeleted)));
  }

  CompatibilityLevel globalCompatibility() {
    return read(state::globalCompatibility);
  }

  CompatibilityLevel subjectCompatibility(String subject, boolean defaultToGlobal) {
    return read(() -> {
      CompatibilityLevel own = state.subject(subject).map(s -> s.compatibility).orElse(null);
      if (own != null) {
        return own;
      }
      if (defaultToGlobal) {
        return state.globalCompatibility();
      }
      throw new RegistryError(404, ErrorCodes.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED,
          "Subject '" + subject + "' does not have subject-level compatibility configured");
    });
  }

  CompatibilityLevel setCompatibility(String subject, String levelName) {
    CompatibilityLevel level = CompatibilityLevel.parse(levelName)
        .orElseThrow(() -> RegistryError.invalidCompatibility(levelName));
    return write(() -> {
      append(SchemasTopicRecord.configKey(subject), SchemasTopicRecord.configValue(level.name()));
      return level;
    });
  }

  CompatibilityLevel deleteSubjectCompatibility(String subject) {
    return write(() -> {
      CompatibilityLevel previous = subjectCompatibility(subject, false);
      append(SchemasTopicRecord.configKey(subject), null);
      return previous;
    });
  }

  /**
   * Why {@code schemaText} is incompatible with {@code version} of {@code subject} ({@code null}
   * for all of its versions that the level checks); empty when compatible.
   */
  List<String> compatibilityProblems(String subject, String version, String schemaText) {
    Schema schema = parse(schemaText);
    return read(() -> {
      Subject s = liveSubject(subject, false);
      CompatibilityLevel level = state.effectiveCompatibility(subject);
      if (version == null) {
        return AvroCompatibility.violations(level, schema, liveSchemas(s));
      }
      Version against = findVersion(subject, version, false);
      return AvroCompatibility.violations(level, schema, List.of(state.schema(against.id())));
    });
  }

  List<Integer> deleteSubject(String subject, boolean permanent) {
    return write(() -> {
      Subject s = state.subject(subject).filter(x -> !x.versions.isEmpty())
          .orElseThrow(() -> RegistryError.subjectNotFound(subject));
      List<Version> live = s.live();
      List<Integer> deleted = new ArrayList<>();
      if (permanent) {
        if (!live.isEmpty()) {
          throw new RegistryError(404, ErrorCodes.SUBJECT_NOT_SOFT_DELETED, "Subject '" + subject
              + "' was not deleted first before being permanently deleted");
        }
        for (Version v : List.copyOf(s.versions.values())) {
          append(SchemasTopicRecord.schemaKey(subject, v.version()), null);
          deleted.add(v.version());
        }
        return deleted;
      }
      if (live.isEmpty()) {
        throw new RegistryError(404, ErrorCodes.SUBJECT_SOFT_DELETED, "Subject '" + subject
            + "' was soft deleted. Set permanent=true to delete permanently");
      }
      for (Version v : live) {
        append(SchemasTopicRecord.schemaKey(subject, v.version()), SchemasTopicRecord.schemaValue(
            subject, v.version(), v.id(), state.schemaText(v.id()).orElseThrow(), true));
        deleted.add(v.version());
      }
      append(SchemasTopicRecord.deleteSubjectKey(subject),
          SchemasTopicRecord.deleteSubjectValue(subject, s.highestVersion));
      return deleted;
    });
  }

  int deleteVersion(String subject, String versionText, boolean permanent) {
    return write(() -> {
      Version v = findVersion(subject, versionText, permanent);
      if (permanent) {
        if (!v.deleted()) {
          throw new RegistryError(404, ErrorCodes.SCHEMA_VERSION_NOT_SOFT_DELETED, "Subject '"
              + subject + "' Version " + v.version()
              + " was not deleted first before being permanently deleted");
        }
        append(SchemasTopicRecord.schemaKey(subject, v.version()), null);
      } else {
        append(SchemasTopicRecord.schemaKey(subject, v.version()), SchemasTopicRecord.schemaValue(
            subject, v.version(), v.id(), state.schemaText(v.id()).orElseThrow(), true));
      }
      return v.version();
    });
  }

  private Version findVersion(String subject, String versionText, boolean includeDeleted) {
    Subject s = liveSubject(subject, includeDeleted);
    if ("latest".equals(versionText) || "-1".equals(versionText)) {
      return s.versions.descendingMap().values().stream()
          .filter(v -> includeDeleted || !v.deleted())
          .findFirst()
          .orElseThrow(() -> RegistryError.subjectNotFound(subject));
    }
    int number;
    try {
      number = Integer.parseInt(versionText);
    } catch (NumberFormatException e) {
      throw RegistryError.invalidVersion(versionText);
    }
    if (number < 1) {
      throw RegistryError.invalidVersion(versionText);
    }
    Version v = s.versions.get(number);
    if (v == null) {
      throw RegistryError.versionNotFound(subject, number);
    }
    if (v.deleted() && !includeDeleted) {
      throw new RegistryError(404, ErrorCodes.VERSION_NOT_FOUND, "Version " + number
          + " of subject '" + subject + "' was soft deleted");
    }
    return v;
  }

  private Subject liveSubject(String subject, boolean includeDeleted) {
    return state.subject(subject)
        .filter(s -> includeDeleted ? !s.versions.isEmpty() : !s.live().isEmpty())
        .orElseThrow(() -> RegistryError.subjectNotFound(subject));
  }

  private List<Schema> liveSchemas(Subject subject) {
    return subject.live().stream().map(v -> state.schema(v.id())).toList();
  }

  private RegisteredSchema registered(Version v) {
    return new RegisteredSchema(v.subject(), v.version(), v.id(),
        state.schemaText(v.id()).orElseThrow());
  }

  /** Durable first, then visible: the record is acknowledged by Kafka before it is applied. */
  private void append(String key, String value) {
    log.append(key, value);
    state.apply(key, value);
  }

  private static Schema parse(String schemaText) {
    if (schemaText == null || schemaText.isBlank()) {
      throw RegistryError.invalidSchema("the request has no schema");
    }
    try {
      return new Schema.Parser().parse(schemaText);
    } catch (SchemaParseException | IllegalArgumentException e) {
      throw RegistryError.invalidSchema(
          e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException json
              ? "not valid JSON: " + json.getOriginalMessage()
              : e.getMessage());
    }
  }

  private <T> T read(Supplier<T> action) {
    lock.readLock().lock();
    try {
      return action.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  private <T> T write(Supplier<T> action) {
    lock.writeLock().lock();
    try {
      return action.get();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
