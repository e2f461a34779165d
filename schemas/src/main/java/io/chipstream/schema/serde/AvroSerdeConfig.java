package io.chipstream.schema.serde;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Serde settings, under Confluent's names so the same properties configure either.
 *
 * @param autoRegister {@code auto.register.schemas}: register a record's schema if new (default
 *     true); when false the schema must already be registered under the subject
 * @param useLatestVersion {@code use.latest.version}: write with the subject's latest id
 *     (default false)
 * @param specificReader {@code specific.avro.reader}: decode into generated classes rather than
 *     {@code GenericRecord} (default false)
 */
public record AvroSerdeConfig(boolean autoRegister, boolean useLatestVersion,
    boolean specificReader) {
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

  public static AvroSerdeConfig from(Map<String, ?> configs) {
    return new AvroSerdeConfig(
        flag(configs, AUTO_REGISTER_SCHEMAS, true),
        flag(configs, USE_LATEST_VERSION, false),
        flag(configs, SPECIFIC_AVRO_READER, false));
  }

  private static boolean flag(Map<String, ?> configs, String key, boolean defaultValue) {
    Object value = configs.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    String text = value.toString().trim();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new ConfigException(key, value, "must be true or false");
  }
}
