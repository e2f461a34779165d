package io.chipstream.schema.registry;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The Confluent Schema Registry REST API, as the serdes and tools use it. Implementations cache
 * what cannot change (ids and the schemas behind them), so a serde's hot path makes no call.
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /** Registers {@code schema} under {@code subject} (or finds it there) and returns its id. */
  int register(String subject, Schema schema);

  /** The version of {@code subject} that holds {@code schema}. */
  RegisteredSchema lookup(String subject, Schema schema);

  /** The schema with this registry-wide id. */
  Schema schemaById(int id);

  /** The subjects and versions that use schema {@code id}. */
  List<SubjectVersion> subjectVersionsById(int id);

  List<String> subjects();

  /** The live versions of {@code subject}, oldest first. */
  List<Integer> versions(String subject);

  RegisteredSchema version(String subject, int version);

  RegisteredSchema latest(String subject);

  CompatibilityLevel globalCompatibility();

  /** The subject's own level; empty when it follows the global one. */
  Optional<CompatibilityLevel> subjectCompatibility(String subject);

  CompatibilityLevel setGlobalCompatibility(CompatibilityLevel level);

  CompatibilityLevel setSubjectCompatibility(String subject, CompatibilityLevel level);

  /**
   * Whether {@code schema} is compatible with {@code version} of {@code subject} ({@code
   * "latest"} or a number) under the subject's rule.
   */
  boolean testCompatibility(String subject, String version, Schema schema);

  /** Deletes a subject (soft, or permanently after a soft delete); returns the versions. */
  List<Integer> deleteSubject(String subject, boolean permanent);

  /** Deletes one version (soft, or permanently after a soft delete). */
  int deleteVersion(String subject, int version, boolean permanent);

  @Override
  void close();

  /**
   * One subject and version that use a schema id.
   *
   * @param subject the subject
   * @param version its version
   */
  record SubjectVersion(String subject, int version) {}
}
