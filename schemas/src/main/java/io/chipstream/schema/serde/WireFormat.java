package io.chipstream.schema.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format: one magic byte (0), the schema id as a 4-byte big-endian int, then the
 * Avro binary encoding of the record, with no length or schema inline.
 */
public final class WireFormat {
  public static final byte MAGIC_BYTE = 0;
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** The schema id of a framed record, checking the frame. */
  public static int schemaId(byte[] bytes) {
    if (bytes.length < HEADER_SIZE) {
      throw new SerializationException("not in the Confluent wire format: " + bytes.length
          + " bytes is shorter than the 5-byte header");
    }
    if (bytes[0] != MAGIC_BYTE) {
      throw new SerializationException("not in the Confluent wire format: unknown magic byte "
          + bytes[0] + " (expected 0)");
    }
    return ByteBuffer.wrap(bytes, 1, 4).getInt();
  }

  /** The 5-byte header for {@code schemaId}. */
  static void writeHeader(byte[] target, int schemaId) {
    target[0] = MAGIC_BYTE;
    target[1] = (byte) (schemaId >>> 24);
    target[2] = (byte) (schemaId >>> 16);
    target[3] = (byte) (schemaId >>> 8);
    target[4] = (byte) schemaId;
  }

  /** The subject of a topic's keys or values under Confluent's default TopicNameStrategy. */
  public static String subject(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }
}
