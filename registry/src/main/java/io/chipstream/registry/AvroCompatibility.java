package io.chipstream.registry;

import io.chipstream.schema.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/** Confluent's compatibility rules, decided by Avro's own {@link SchemaCompatibility}. */
final class AvroCompatibility {
  private AvroCompatibility() {}

  /**
   * The reasons {@code candidate} is incompatible under {@code level} with {@code existing}
   * (oldest first; only the latest is checked unless the level is transitive). Empty when
   * compatible.
   */
  static List<String> violations(CompatibilityLevel level, Schema candidate,
      List<Schema> existing) {
    List<String> problems = new ArrayList<>();
    if (level == CompatibilityLevel.NONE || existing.isEmpty()) {
      return problems;
    }
    List<Schema> against = level.transitive() ? existing
        : List.of(existing.get(existing.size() - 1));
    for (Schema previous : against) {
      if (level.checksBackward()) {
        describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous),
            "new schema cannot read data written with an earlier schema", problems);
      }
      if (level.checksForward()) {
        describe(SchemaCompatibility.checkReaderWriterCompatibility(previous, candidate),
            "an earlier schema cannot read data written with the new schema", problems);
      }
    }
    return problems;
  }

  private static void describe(SchemaPairCompatibility result, String direction,
      List<String> problems) {
    if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return;
    }
    result.getResult().getIncompatibilities().forEach(incompatibility -> problems.add(
        "{errorType:'" + incompatibility.getType() + "', description:'" + direction + ": "
            + incompatibility.getMessage() + "', location:'" + incompatibility.getLocation()
            + "'}"));
  }
}
