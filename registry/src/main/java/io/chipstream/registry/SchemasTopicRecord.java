package io.chipstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The records of the {@code _schemas} topic, in Confluent Schema Registry's own format: JSON keys
 * and values, so a Confluent registry pointed at the topic would read the same subjects and ids.
 *
 * <pre>
 * key   {"keytype":"SCHEMA","subject":"s","version":1,"magic":1}
 * value {"subject":"s","version":1,"id":7,"schema":"...","deleted":false}   (null: hard-deleted)
 * key   {"keytype":"CONFIG","subject":null,"magic":0}                       (global; or a subject)
 * value {"compatibilityLevel":"BACKWARD"}                                   (null: unset)
 * key   {"keytype":"DELETE_SUBJECT","subject":"s","magic":0}
 * value {"subject":"s","version":3}                                         (soft delete up to 3)
 * </pre>
 */
final class SchemasTopicRecord {
  static final String SCHEMA = "SCHEMA";
  static final String CONFIG = "CONFIG";
  static final String DELETE_SUBJECT = "DELETE_SUBJECT";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SchemasTopicRecord() {}

  static String schemaKey(String subject, int version) {
    ObjectNode key = JSON.createObjectNode();
    key.put("keytype", SCHEMA);
    key.put("subject", subject);
    key.put("version", version);
    key.put("magic", 1);
    return key.toString();
  }

  static String schemaValue(String subject, int version, int id, String schema, boolean deleted) {
    ObjectNode value = JSON.createObjectNode();
    value.put("subject", subject);
    value.put("version", version);
    value.put("id", id);
    value.put("schema", schema);
    value.put("deleted", deleted);
    return value.toString();
  }

  /** The key of the global config when {@code subject} is null, else of the subject's. */
  static String configKey(String subject) {
    ObjectNode key = JSON.createObjectNode();
    key.put("keytype", CONFIG);
    if (subject == null) {
      key.putNull("subject");
    } else {
      key.put("subject", subject);
    }
    key.put("magic", 0);
    return key.toString();
  }

  static String configValue(String level) {
    ObjectNode value = JSON.createObjectNode();
    value.put("compatibilityLevel", level);
    return value.toString();
  }

  static String deleteSubjectKey(String subject) {
    ObjectNode key = JSON.createObjectNode();
    key.put("keytype", DELETE_SUBJECT);
    key.put("subject", subject);
    key.put("magic", 0);
    return key.toString();
  }

  static String deleteSubjectValue(String subject, int version) {
    ObjectNode value = JSON.createObjectNode();
    value.put("subject", subject);
    value.put("version", version);
    return value.toString();
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + json, e);
    }
  }
}
